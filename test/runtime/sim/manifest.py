# Frozen into the unix port the tests run on (test/runtime/build-micropython.sh), as a board's
# firmware has `machine` and `network` built in: their code and names then cost no heap, which
# the heap budgets the tests hold the device code to do not include.
freeze(".", ("sim_machine.py", "sim_network.py", "sim_timer.py"))
