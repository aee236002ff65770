# The simulated board's flash: blocks in a host file, read and written straight from the
# buffers the VFS passes (the image costs no heap), with an optional power cut.

POWER_CUT = 75  # exit code of a process whose power was cut


class FileBlockDev:
    # cut >= 0 ends the process (exit POWER_CUT) once that many block writes reached the image
    # (the last one lands; 0 drops the first); -1 never. before_write runs ahead of each write.
    def __init__(self, f, bs, cut=-1, before_write=None):
        self.f, self.bs, self.cut, self.before_write = f, bs, cut, before_write
        self.writes, self.dead = 0, False
        f.seek(0, 2)
        self.count = f.tell() // bs

    def readblocks(self, n, buf, off=0):  # littlefs passes off; FAT does not
        self.f.seek(n * self.bs + off)
        self.f.readinto(buf)

    def writeblocks(self, n, buf, off=0):
        if self.dead or self.cut == 0:
            self.off()  # the write is dropped
        if self.before_write:
            self.before_write()
        self.f.seek(n * self.bs + off)
        self.f.write(buf)
        self.writes += 1
        if self.writes == self.cut:
            self.off()

    def off(self):
        # every later write raises again, so nothing more can reach the image
        if not self.dead:
            self.dead = True
            print("HARNESS POWERCUT", self.cut)
        raise SystemExit(POWER_CUT)

    def ioctl(self, op, arg):
        return self.count if op == 4 else self.bs if op == 5 else 0  # 3 sync: writes are unbuffered
