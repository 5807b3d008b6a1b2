package api

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"straitwatch/internal/access"
	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// HubConfig configures a Hub.
type HubConfig struct {
	// Buffer is the number of position updates held for each subscriber
	// between two reads. When a subscriber falls behind, the oldest
	// updates are dropped and counted. The default value is 4096.
	Buffer int
	// MaxSubscribers is the number of live subscriptions the hub accepts
	// at once. The default value is 1000.
	MaxSubscribers int
	// Registerer receives the hub's metrics; nil registers none.
	Registerer prometheus.Registerer
}

// Hub fans live position updates out to subscribers, each filtered by a
// bounding box and the caller's view. Publish never waits for a
// subscriber: each has a bounded buffer, and a subscriber that falls
// behind loses its oldest updates and is told how many. A Hub satisfies
// access.Feed and is safe for concurrent use.
//
// Lock order: Hub.mu, then subscription.mu. Publish takes no Hub lock.
type Hub struct {
	buffer int
	max    int

	mu     sync.Mutex // guards changes to subs and closed
	closed bool
	subs   atomic.Pointer[[]*subscription] // copy on write

	published   prometheus.Counter
	delivered   prometheus.Counter
	dropped     prometheus.Counter
	subscribers prometheus.Gauge
}

// ErrHubClosed is returned by Subscribe after the hub's Run has ended. It
// wraps access.ErrUnavailable.
var ErrHubClosed = fmt.Errorf("live feed closed: %w", access.ErrUnavailable)

// ErrTooManySubscribers is returned by Subscribe when the hub has
// MaxSubscribers subscriptions. It wraps access.ErrUnavailable.
var ErrTooManySubscribers = fmt.Errorf("too many live subscribers: %w", access.ErrUnavailable)

// NewHub returns a hub configured by cfg. It fails if the metrics cannot
// be registered.
func NewHub(cfg HubConfig) (*Hub, error) {
	if cfg.Buffer <= 0 {
		cfg.Buffer = 4096
	}
	if cfg.MaxSubscribers <= 0 {
		cfg.MaxSubscribers = 1000
	}
	h := &Hub{
		buffer: cfg.Buffer,
		max:    cfg.MaxSubscribers,
		published: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "straitwatch_stream_published_fixes_total",
			Help: "Position updates offered to the live stream hub.",
		}),
		delivered: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "straitwatch_stream_queued_fixes_total",
			Help: "Position updates queued for live subscribers (one per subscriber that matched).",
		}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "straitwatch_stream_dropped_fixes_total",
			Help: "Position updates dropped because a live subscriber fell behind.",
		}),
		subscribers: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "straitwatch_stream_subscribers",
			Help: "Live stream subscriptions open now.",
		}),
	}
	h.subs.Store(&[]*subscription{})
	if cfg.Registerer != nil {
		for _, c := range []prometheus.Collector{h.published, h.delivered, h.dropped, h.subscribers} {
			if err := cfg.Registerer.Register(c); err != nil {
				return nil, fmt.Errorf("hub metrics: %w", err)
			}
		}
	}
	return h, nil
}

// Run waits for ctx to end, then ends every subscription and refuses new
// ones. It returns nil.
func (h *Hub) Run(ctx context.Context) error {
	<-ctx.Done()
	h.mu.Lock()
	h.closed = true
	subs := *h.subs.Load()
	h.subs.Store(&[]*subscription{})
	h.mu.Unlock()
	for _, s := range subs {
		s.end()
	}
	h.subscribers.Set(0)
	return nil
}

// Subscribers returns the number of open subscriptions.
func (h *Hub) Subscribers() int { return len(*h.subs.Load()) }

// Publish offers fixes to every subscriber whose box contains them and
// whose view may see them. It copies what it keeps, so the caller may
// reuse fixes once Publish returns. It never blocks on a subscriber.
func (h *Hub) Publish(fixes []track.Fix) {
	if len(fixes) == 0 {
		return
	}
	h.published.Add(float64(len(fixes)))
	subs := *h.subs.Load()
	if len(subs) == 0 {
		return
	}
	// The batch's extent lets subscribers whose box it misses skip it.
	ext := geo.Box{MinLat: 90, MinLon: 180, MaxLat: -90, MaxLon: -180}
	for i := range fixes {
		f := &fixes[i]
		ext.MinLat, ext.MaxLat = min(ext.MinLat, f.Lat), max(ext.MaxLat, f.Lat)
		ext.MinLon, ext.MaxLon = min(ext.MinLon, f.Lon), max(ext.MaxLon, f.Lon)
	}
	var queued, dropped uint64
	for _, s := range subs {
		if !intersects(s.box, ext) {
			continue
		}
		q, d := s.offer(fixes)
		queued += q
		dropped += d
	}
	if queued > 0 {
		h.delivered.Add(float64(queued))
	}
	if dropped > 0 {
		h.dropped.Add(float64(dropped))
	}
}

// intersects reports whether a and b overlap, edges included.
func intersects(a, b geo.Box) bool {
	return a.MinLat <= b.MaxLat && b.MinLat <= a.MaxLat && a.MinLon <= b.MaxLon && b.MinLon <= a.MaxLon
}

// Subscribe returns a subscription to the fixes inside box for which keep
// returns true (all of them when keep is nil). It ends when ctx ends, when
// Close is called, or when the hub's Run ends.
func (h *Hub) Subscribe(ctx context.Context, box geo.Box, keep func(track.Fix) bool) (access.Subscription, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := &subscription{
		hub:   h,
		box:   box,
		keep:  keep,
		ring:  make([]track.Fix, h.buffer),
		ready: make(chan struct{}, 1),
		done:  make(chan struct{}),
	}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, ErrHubClosed
	}
	old := *h.subs.Load()
	if len(old) >= h.max {
		h.mu.Unlock()
		return nil, ErrTooManySubscribers
	}
	subs := make([]*subscription, len(old), len(old)+1)
	copy(subs, old)
	subs = append(subs, s)
	h.subs.Store(&subs)
	h.subscribers.Set(float64(len(subs)))
	h.mu.Unlock()
	stop := context.AfterFunc(ctx, s.Close)
	s.mu.Lock()
	s.stop = stop
	s.mu.Unlock()
	return s, nil
}

// remove takes s out of the hub's list.
func (h *Hub) remove(s *subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	old := *h.subs.Load()
	subs := make([]*subscription, 0, len(old))
	for _, o := range old {
		if o != s {
			subs = append(subs, o)
		}
	}
	h.subs.Store(&subs)
	h.subscribers.Set(float64(len(subs)))
}

// subscription is one subscriber's ring buffer of position updates.
type subscription struct {
	hub   *Hub
	box   geo.Box
	keep  func(track.Fix) bool
	ready chan struct{} // capacity 1: a pending wake-up
	done  chan struct{} // closed by end

	endOnce sync.Once

	mu      sync.Mutex
	closed  bool        // set by end: offer queues nothing more
	stop    func() bool // stops the context's AfterFunc
	ring    []track.Fix
	head, n int    // oldest update at ring[head]; n waiting
	dropped uint64 // since the last Take
}

// offer queues the fixes s wants, overwriting the oldest when the ring is
// full, and wakes the reader. It returns how many it queued and dropped.
func (s *subscription) offer(fixes []track.Fix) (queued, dropped uint64) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return 0, 0
	}
	size := len(s.ring)
	for i := range fixes {
		f := &fixes[i]
		if !s.box.Contains(f.Lat, f.Lon) || (s.keep != nil && !s.keep(*f)) {
			continue
		}
		queued++
		if s.n == size {
			s.ring[s.head] = *f
			s.head++
			if s.head == size {
				s.head = 0
			}
			dropped++
			continue
		}
		j := s.head + s.n
		if j >= size {
			j -= size
		}
		s.ring[j] = *f
		s.n++
	}
	s.dropped += dropped
	s.mu.Unlock()
	if queued > 0 {
		select {
		case s.ready <- struct{}{}:
		default:
		}
	}
	return queued, dropped
}

// Ready receives a value when updates are waiting.
func (s *subscription) Ready() <-chan struct{} { return s.ready }

// Done is closed when the subscription has ended.
func (s *subscription) Done() <-chan struct{} { return s.done }

// Take appends the waiting updates to dst, oldest first, and returns it
// with the number dropped since the previous Take.
func (s *subscription) Take(dst []track.Fix) ([]track.Fix, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	first := min(s.n, len(s.ring)-s.head)
	dst = append(dst, s.ring[s.head:s.head+first]...)
	dst = append(dst, s.ring[:s.n-first]...)
	s.head, s.n = 0, 0
	d := s.dropped
	s.dropped = 0
	return dst, d
}

// Close ends the subscription and removes it from the hub.
func (s *subscription) Close() {
	s.end()
	s.hub.remove(s)
}

// end closes done and releases the context's callback, once.
func (s *subscription) end() {
	s.endOnce.Do(func() {
		close(s.done)
		s.mu.Lock()
		s.closed = true
		stop := s.stop
		s.mu.Unlock()
		if stop != nil {
			stop()
		}
	})
}
