# A stand-in for the rig's hardware check: on the unix port there is nothing to probe.
def self_test():
    return True
