// Package endless makes inputs that never end (what /dev/zero, a FIFO or a
// stalled pipe give a reader), for the tests of bounded readers.
package endless

// Reader gives next(0), next(1), … forever; it never returns an error.
type Reader struct {
	next func(i int) string
	i    int
	buf  string
}

// New is a Reader of next(0), next(1), ….
func New(next func(i int) string) *Reader { return &Reader{next: next} }

// Repeat is a Reader of chunk, over and over.
func Repeat(chunk string) *Reader { return New(func(int) string { return chunk }) }

func (e *Reader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if e.buf == "" {
			e.buf = e.next(e.i)
			e.i++
		}
		c := copy(p[n:], e.buf)
		e.buf = e.buf[c:]
		n += c
	}
	return n, nil
}
