package events

import (
	"context"
	"sync"
)

// Subscription is one subscriber's live stream of event changes: a
// bounded buffer that the book fills without waiting, dropping (and
// counting) what does not fit. Distress changes are never dropped for
// others: when the buffer is full, the oldest non-distress change goes.
type Subscription struct {
	b      *Book
	filter Filter
	ready  chan struct{}
	done   chan struct{}

	mu      sync.Mutex
	buf     []Record
	dropped uint64
	closed  bool
}

// Subscribe returns a subscription to the changes f selects (f.Limit is
// ignored). It ends when ctx ends or Close is called.
func (b *Book) Subscribe(ctx context.Context, f Filter) *Subscription {
	f.Limit = 0
	s := &Subscription{b: b, filter: f, ready: make(chan struct{}, 1), done: make(chan struct{})}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.done:
		}
	}()
	return s
}

// Subscribers returns the number of live subscriptions.
func (b *Book) Subscribers() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.subs)
}

// offer queues the records s wants. Under the book's lock.
func (s *Subscription) offer(recs []Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	added := false
	for i := range recs {
		r := &recs[i]
		if !s.filter.Match(r) {
			continue
		}
		if len(s.buf) >= s.b.cfg.Buffer && !s.dropOne(r.Severity == "distress") {
			s.dropped++
			continue
		}
		s.buf = append(s.buf, r.clone())
		added = true
	}
	if added {
		select {
		case s.ready <- struct{}{}:
		default:
		}
	}
}

// dropOne makes room by dropping the oldest non-distress change, when
// the newcomer is distress; it reports whether room was made.
func (s *Subscription) dropOne(distress bool) bool {
	if !distress {
		return false
	}
	for i := range s.buf {
		if s.buf[i].Severity != "distress" {
			s.buf = append(s.buf[:i], s.buf[i+1:]...)
			s.dropped++
			return true
		}
	}
	return false
}

// Ready receives a value when changes are waiting to be taken.
func (s *Subscription) Ready() <-chan struct{} { return s.ready }

// Done is closed when the subscription has ended.
func (s *Subscription) Done() <-chan struct{} { return s.done }

// Take returns the waiting changes, oldest first, and the number dropped
// since the previous Take.
func (s *Subscription) Take() ([]Record, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out, d := s.buf, s.dropped
	s.buf, s.dropped = nil, 0
	return out, d
}

// Close ends the subscription. It is safe to call more than once.
func (s *Subscription) Close() {
	s.b.mu.Lock()
	delete(s.b.subs, s)
	s.b.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.done)
	}
}
