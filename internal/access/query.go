package access

import (
	"context"
	"errors"
	"fmt"

	"straitwatch/internal/events"
	"straitwatch/internal/geo"
	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// Vessels is the live vessel table as the query layer needs it; the
// tracker's Table satisfies it. Implementations are safe for concurrent
// use and return slices that the caller owns and may modify.
type Vessels interface {
	// InBox returns the vessels whose latest position lies in box and
	// that match f, at most f.Limit of them.
	InBox(box geo.Box, f track.Filter) []track.Vessel
	// Get returns one vessel's live state.
	Get(mmsi uint32) (track.Vessel, bool)
}

// History is the stored past as the query layer needs it; store.Store
// satisfies it. Implementations return slices that the caller owns and
// may modify.
type History interface {
	// Track returns one vessel's fixes with from <= Time < to (UNIX
	// ms), in time order, at most limit.
	Track(ctx context.Context, mmsi uint32, from, to int64, limit int) ([]track.Fix, error)
	// StaticHistory returns a vessel's distinct static records, oldest
	// first.
	StaticHistory(ctx context.Context, mmsi uint32) ([]track.Static, error)
	// FixesIn returns the fixes inside box with from <= Time < to, in
	// time order, at most limit.
	FixesIn(ctx context.Context, box geo.Box, from, to int64, limit int) ([]track.Fix, error)
}

// SourceHealth is a snapshot of one ingest source: what it is, who owns
// it, and how it is doing.
type SourceHealth struct {
	ID   track.SourceID // the source's id, as fixes carry it
	Name string         // the configured name
	// Org is the organisation that owns the source; sharing agreements
	// are decided on it.
	Org string
	// Kind is the source's type as configured, such as "tcp-client",
	// "tcp-server", "udp", "file", "csv" or "demo".
	Kind string
	// Connected reports whether the source currently has a live
	// connection (always true for a listening or replaying source that is
	// running).
	Connected bool
	// LastMessage is the arrival time of the last message, in UNIX
	// milliseconds; 0 when none has arrived.
	LastMessage int64
	// Messages counts the messages accepted since the server started.
	Messages uint64
	// MessagesPerSecond is the recent rate of accepted messages.
	MessagesPerSecond float64
	// Rejects counts the lines rejected since the server started, by
	// reason.
	Rejects map[string]uint64
	// LastError is the last connection or read error; empty when none.
	LastError string
	// Detail is the source's full health snapshot as the ingest layer
	// keeps it (for example ingest.SourceHealth), served by the API as
	// "detail". It must marshal with encoding/json to an object; nil
	// leaves it out.
	Detail any
}

// Sources lists the ingest sources and their health; the ingest layer
// satisfies it. Implementations are safe for concurrent use and return a
// fresh slice on every call.
type Sources interface {
	Health() []SourceHealth
}

// SourcesFunc adapts a function to Sources, for example one that converts
// the ingest pipeline's health snapshots.
type SourcesFunc func() []SourceHealth

// Health returns f().
func (f SourcesFunc) Health() []SourceHealth { return f() }

// Subscription is one subscriber's view of the live feed: a bounded
// buffer of position updates that the feed fills without ever waiting for
// the subscriber, dropping (and counting) what does not fit.
type Subscription interface {
	// Ready receives a value when updates are waiting to be taken.
	Ready() <-chan struct{}
	// Done is closed when the feed has ended the subscription, for
	// example on shutdown.
	Done() <-chan struct{}
	// Take appends the waiting updates to dst, oldest first, and returns
	// it with the number of updates dropped since the previous Take.
	Take(dst []track.Fix) ([]track.Fix, uint64)
	// Close ends the subscription. It is safe to call more than once.
	Close()
}

// Feed is the live stream of position updates; the api package's Hub
// satisfies it.
type Feed interface {
	// Subscribe returns a subscription to the fixes inside box for which
	// keep returns true. keep is called on the publishing path and must
	// be fast. The subscription ends when ctx ends or Close is called.
	// When the feed cannot take another subscriber it returns an error
	// wrapping ErrUnavailable.
	Subscribe(ctx context.Context, box geo.Box, keep func(track.Fix) bool) (Subscription, error)
}

// Backends are the components a Query reads from. Every field is
// required.
type Backends struct {
	Vessels Vessels // the live vessel table
	History History // the store
	Sources Sources // the ingest sources
	Feed    Feed    // the live stream of position updates

	// Events is the record of detected events; nil when detection is
	// off, and event reads then fail with ErrUnavailable.
	Events *events.Book
	// Zones is the zone set the detectors use; nil when there is none.
	Zones *zone.Set
}

// DefaultLimit is the number of records a query returns when its limit is
// not positive.
const DefaultLimit = 1000

// maxFetch bounds how far a query looks past records that the policy
// hides before it reports the result as truncated.
const maxFetch = 1 << 20

// Query is the one layer through which every read passes with the
// caller's View. It checks the view, asks the Policy whether the action
// is permitted and which records the view may see, and returns only those.
// A Query is safe for concurrent use.
type Query struct {
	policy  Policy
	vessels Vessels
	history History
	sources Sources
	feed    Feed
	events  *events.Book
	zones   *zone.Set
}

// NewQuery returns a query layer over b that decides with p.
func NewQuery(p Policy, b Backends) (*Query, error) {
	switch {
	case p == nil:
		return nil, errors.New("access: nil policy")
	case b.Vessels == nil:
		return nil, errors.New("access: no vessels backend")
	case b.History == nil:
		return nil, errors.New("access: no history backend")
	case b.Sources == nil:
		return nil, errors.New("access: no sources backend")
	case b.Feed == nil:
		return nil, errors.New("access: no feed backend")
	}
	return &Query{policy: p, vessels: b.Vessels, history: b.History, sources: b.Sources, feed: b.Feed,
		events: b.Events, zones: b.Zones}, nil
}

// permit checks that v is a valid view and may perform a.
func (q *Query) permit(v View, a Action) error {
	if err := v.Validate(); err != nil {
		return err
	}
	if err := q.policy.Permit(v, a); err != nil {
		if !errors.Is(err, ErrForbidden) {
			err = fmt.Errorf("%w: %w", ErrForbidden, err)
		}
		return err
	}
	return nil
}

// VesselsInBox returns the vessels in box matching f that v may see, at
// most f.Limit of them (DefaultLimit when f.Limit is not positive), and
// whether more matched than were returned.
func (q *Query) VesselsInBox(ctx context.Context, v View, box geo.Box, f track.Filter) ([]track.Vessel, bool, error) {
	if err := q.permit(v, ReadVessels); err != nil {
		return nil, false, err
	}
	fetch := func(limit int) ([]track.Vessel, error) {
		g := f
		g.Limit = limit
		return q.vessels.InBox(box, g), nil
	}
	keep := func(x track.Vessel) (track.Vessel, bool) { return q.policy.Vessel(v, x) }
	return visible(ctx, f.Limit, fetch, keep)
}

// Vessel returns one vessel as v may see it, or ErrNotFound.
func (q *Query) Vessel(ctx context.Context, v View, mmsi uint32) (track.Vessel, error) {
	if err := q.permit(v, ReadVessels); err != nil {
		return track.Vessel{}, err
	}
	if err := ctx.Err(); err != nil {
		return track.Vessel{}, err
	}
	x, ok := q.vessels.Get(mmsi)
	if !ok {
		return track.Vessel{}, fmt.Errorf("vessel %d: %w", mmsi, ErrNotFound)
	}
	x, ok = q.policy.Vessel(v, x)
	if !ok {
		return track.Vessel{}, fmt.Errorf("vessel %d: %w", mmsi, ErrNotFound)
	}
	return x, nil
}

// StaticHistory returns the static records of a vessel that v may see,
// oldest first.
func (q *Query) StaticHistory(ctx context.Context, v View, mmsi uint32) ([]track.Static, error) {
	if err := q.permit(v, ReadVessels); err != nil {
		return nil, err
	}
	all, err := q.history.StaticHistory(ctx, mmsi)
	if err != nil {
		return nil, err
	}
	out := all[:0:0]
	for _, s := range all {
		if q.policy.Static(v, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// Track returns the fixes of one vessel with from <= Time < to (UNIX ms)
// that v may see, in time order, at most limit of them (DefaultLimit when
// limit is not positive), and whether more matched than were returned.
func (q *Query) Track(ctx context.Context, v View, mmsi uint32, from, to int64, limit int) ([]track.Fix, bool, error) {
	if err := q.permit(v, ReadTrack); err != nil {
		return nil, false, err
	}
	fetch := func(n int) ([]track.Fix, error) { return q.history.Track(ctx, mmsi, from, to, n) }
	keep := func(f track.Fix) (track.Fix, bool) { return f, q.policy.Fix(v, f) }
	return visible(ctx, limit, fetch, keep)
}

// History returns the fixes inside box with from <= Time < to that v
// may see, in time order, at most limit (DefaultLimit when not positive),
// and whether more matched: the past picture, for replay.
func (q *Query) History(ctx context.Context, v View, box geo.Box, from, to int64, limit int) ([]track.Fix, bool, error) {
	if err := q.permit(v, ReadTrack); err != nil {
		return nil, false, err
	}
	fetch := func(n int) ([]track.Fix, error) { return q.history.FixesIn(ctx, box, from, to, n) }
	keep := func(f track.Fix) (track.Fix, bool) { return f, q.policy.Fix(v, f) }
	return visible(ctx, limit, fetch, keep)
}

// Sources returns the ingest sources that v may see, with their health.
func (q *Query) Sources(ctx context.Context, v View) ([]SourceHealth, error) {
	if err := q.permit(v, ReadSources); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	all := q.sources.Health()
	out := make([]SourceHealth, 0, len(all))
	for _, s := range all {
		if q.policy.Source(v, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// Subscribe returns a live subscription to the position updates inside
// box that v may see. It ends when ctx ends or it is closed.
func (q *Query) Subscribe(ctx context.Context, v View, box geo.Box) (Subscription, error) {
	if err := q.permit(v, Subscribe); err != nil {
		return nil, err
	}
	policy := q.policy
	return q.feed.Subscribe(ctx, box, func(f track.Fix) bool { return policy.Fix(v, f) })
}

// visible fetches records and keeps those the policy lets through, at
// most want of them. Because the backend applies the limit before the
// policy does, a page from which the policy hid records may leave matching
// records unseen; visible then asks again for a larger page, up to
// maxFetch, and reports the result as truncated if it still cannot tell.
func visible[T any](ctx context.Context, want int, fetch func(limit int) ([]T, error), keep func(T) (T, bool)) ([]T, bool, error) {
	if want <= 0 {
		want = DefaultLimit
	}
	want = min(want, maxFetch-1)
	n := want + 1 // one more than wanted tells whether there are more
	for {
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		raw, err := fetch(n)
		if err != nil {
			return nil, false, err
		}
		// The backends return fresh slices that the caller owns, so the
		// visible records are gathered in place.
		out := raw[:0]
		for _, r := range raw {
			if x, ok := keep(r); ok {
				out = append(out, x)
				if len(out) > want {
					return out[:want], true, nil
				}
			}
		}
		if len(raw) < n {
			return out, false, nil // the backend had no more
		}
		if n >= maxFetch {
			return out, true, nil
		}
		n = min(n*4, maxFetch)
	}
}
