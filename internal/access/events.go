package access

import (
	"context"
	"fmt"

	"straitwatch/internal/events"
	"straitwatch/internal/zone"
)

func (q *Query) eventBook(v View, a Action) (*events.Book, error) {
	if err := q.permit(v, a); err != nil {
		return nil, err
	}
	if q.events == nil {
		return nil, fmt.Errorf("events: detection is off on this server: %w", ErrUnavailable)
	}
	return q.events, nil
}

// Events returns the events f selects that v may see, newest start
// first, at most f.Limit (DefaultLimit when not positive), and whether
// more matched.
func (q *Query) Events(ctx context.Context, v View, f events.Filter) ([]events.Record, bool, error) {
	b, err := q.eventBook(v, ReadEvents)
	if err != nil {
		return nil, false, err
	}
	fetch := func(limit int) ([]events.Record, error) {
		g := f
		g.Limit = limit
		return b.Query(ctx, g)
	}
	keep := func(r events.Record) (events.Record, bool) { return r, q.policy.Event(v, &r) }
	return visible(ctx, f.Limit, fetch, keep)
}

// Event returns one event as v may see it, or ErrNotFound.
func (q *Query) Event(ctx context.Context, v View, id string) (events.Record, error) {
	b, err := q.eventBook(v, ReadEvents)
	if err != nil {
		return events.Record{}, err
	}
	r, err := b.Get(ctx, id)
	if err != nil || !q.policy.Event(v, &r) {
		return events.Record{}, fmt.Errorf("event %q: %w", id, ErrNotFound)
	}
	return r, nil
}

// Acknowledge records v's acknowledgement of an event that v may see,
// with comment, and returns the updated event.
func (q *Query) Acknowledge(ctx context.Context, v View, id, comment string) (events.Record, error) {
	b, err := q.eventBook(v, AckEvents)
	if err != nil {
		return events.Record{}, err
	}
	if _, err := q.Event(ctx, v, id); err != nil {
		return events.Record{}, err
	}
	return b.Acknowledge(ctx, id, events.Ack{By: v.Org, Comment: comment})
}

// SubscribeEvents returns a live subscription to the changes of the
// events f selects; the caller filters each change with VisibleEvent.
func (q *Query) SubscribeEvents(ctx context.Context, v View, f events.Filter) (*events.Subscription, error) {
	b, err := q.eventBook(v, ReadEvents)
	if err != nil {
		return nil, err
	}
	return b.Subscribe(ctx, f), nil
}

// VisibleEvent reports whether v may see r; for the records of an event
// subscription.
func (q *Query) VisibleEvent(v View, r *events.Record) bool { return q.policy.Event(v, r) }

// Zones returns the zone set events refer to, or ErrUnavailable when the
// server has none.
func (q *Query) Zones(ctx context.Context, v View) (*zone.Set, error) {
	if err := q.permit(v, ReadEvents); err != nil {
		return nil, err
	}
	if q.zones == nil {
		return nil, fmt.Errorf("zones: none loaded: %w", ErrUnavailable)
	}
	return q.zones, nil
}
