package ingest

// ring is a FIFO addressed by sequence numbers: the entries are the
// sequence numbers [head, tail). It grows by doubling up to max entries;
// the caller makes room before pushing into a full ring.
type ring[T any] struct {
	buf        []T
	head, tail uint64
	max        int
}

func (r *ring[T]) len() int   { return int(r.tail - r.head) }
func (r *ring[T]) full() bool { return r.len() >= r.max }

// push appends v and returns its sequence number.
func (r *ring[T]) push(v T) uint64 {
	if r.len() == len(r.buf) {
		r.grow()
	}
	r.buf[r.tail&uint64(len(r.buf)-1)] = v
	r.tail++
	return r.tail - 1
}

func (r *ring[T]) grow() {
	n := max(64, 2*len(r.buf))
	nb := make([]T, n)
	for s := r.head; s < r.tail; s++ {
		nb[s&uint64(n-1)] = r.buf[s&uint64(len(r.buf)-1)]
	}
	r.buf = nb
}

// front returns the oldest entry; the ring must not be empty.
func (r *ring[T]) front() *T { return &r.buf[r.head&uint64(len(r.buf)-1)] }

// pop drops the oldest entry, zeroing it.
func (r *ring[T]) pop() {
	var zero T
	r.buf[r.head&uint64(len(r.buf)-1)] = zero
	r.head++
}

// at returns the entry with sequence number seq, or nil when it has left
// the ring.
func (r *ring[T]) at(seq uint64) *T {
	if seq < r.head || seq >= r.tail {
		return nil
	}
	return &r.buf[seq&uint64(len(r.buf)-1)]
}
