// Package store persists what straitwatch must keep: position fixes (an
// append-heavy time series), vessels and their static history, and events
// and cases. Store is the seam; Open returns the embedded implementation.
package store

import (
	"context"
	"io"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// Store is the persistence seam. Implementations are safe for concurrent
// use.
type Store interface {
	// AppendFixes adds fixes, in any order. They are durable once Sync
	// has returned after the call, or at the latest one sync interval
	// later (see the implementation's durability policy).
	AppendFixes(fixes []track.Fix) error
	// Sync makes every fix appended so far durable.
	Sync() error
	// Track returns one vessel's fixes with from <= Time < to (UNIX ms),
	// in time order, at most limit (0 = no limit).
	Track(ctx context.Context, mmsi uint32, from, to int64, limit int) ([]track.Fix, error)
	// FixesIn returns the fixes inside box with from <= Time < to, at most
	// limit.
	FixesIn(ctx context.Context, box geo.Box, from, to int64, limit int) ([]track.Fix, error)
	// PutStatic records static data; a change from the vessel's last
	// record starts a new entry of its history.
	PutStatic(s track.Static) error
	// StaticHistory returns a vessel's distinct static records, oldest
	// first.
	StaticHistory(ctx context.Context, mmsi uint32) ([]track.Static, error)
	// Retain drops fixes older than before (UNIX ms).
	Retain(before int64) error
	// ExportFixes writes the fixes of [from, to) as format "csv" or
	// "parquet".
	ExportFixes(ctx context.Context, w io.Writer, format string, from, to int64) error
	// Close flushes, syncs and closes.
	Close() error
}
