# Stand-in device code for the power-cut tests: writes three files, one after the other,
# each closed before the next starts, then prints a line once everything is on flash.
def write(path, text):
    with open(path, 'w') as f:
        f.write(text)


def main():
    for i in range(3):
        write('/f%d.txt' % i, 'file %d ' % i * 40)
        try:
            write('/swallow.txt', 'x')
        except Exception:
            print('swallowed')  # a power cut must not be catchable as an Exception
    print('writer done')


main()
