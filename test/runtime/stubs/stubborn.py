# Stand-in device code that swallows the power cut and keeps writing, to prove that no write
# after the cut reaches the image. part1() alone is the reference: same writes, no swallowing.
def write(path, text):
    with open(path, 'w') as f:
        f.write(text)


def part1():
    write('/a.txt', 'a' * 100)
    write('/b.txt', 'b' * 100)


def main():
    try:
        part1()
    except BaseException as e:
        print('caught', type(e).__name__)
    for i in range(3):
        try:
            write('/after%d.txt' % i, 'x' * 50)
        except BaseException:
            print('after write failed')
    print('kept going')
