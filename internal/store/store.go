// Package store persists what straitwatch must keep: position fixes (an
// append-heavy time series), vessels and their static history, and events
// and cases. Store is the seam; Open returns the embedded implementation,
// a directory of plain files that needs no server and no C toolchain.
//
// # Layout
//
// Fixes go first to a write-ahead log (wal-NNNNNNNN.log, binary batches
// each framed by a length and a CRC-32C) and to an in-memory table. When
// the table is full (Options.MemtableSize) it is written out as
// time-partitioned segments (fix-<start>-NNNNNNNN.seg): one or more per
// partition of Options.SegmentDuration of event time, each sorted by
// (MMSI, time), compactly encoded, with a per-segment MMSI index that
// also holds each vessel block's time range and bounding box. A MANIFEST,
// replaced atomically, names the live segments and the oldest log still
// needed. Runs of the same partition are merged in the background.
// Retention drops whole segments. Static history and documents (events,
// cases) are small append-only logs (static.log, docs.log) indexed in
// memory. See DESIGN.md in this folder for the measurements behind it.
//
// # Durability policy
//
// AppendFixes, PutStatic and PutDoc acknowledge by returning nil. At that
// moment the data has been written to the operating system (one write(2)
// per call) and is visible to queries: it survives the process being
// killed at any moment, SIGKILL included, but not yet a kernel crash or
// power loss. It is fsynced (with the directory entries of new files) by
// the next group commit, which runs every Options.SyncInterval (200 ms by
// default) while there is unsynced data, or by Sync or Close: once Sync
// has returned nil, everything acknowledged before the call survives
// power loss too. So a power loss or kernel crash loses at most the last
// SyncInterval of acknowledged writes, and a process crash none.
// Appending never waits for fsync; it waits only when the background
// writer of segments is Options.MemtableStopWrites memtables behind.
// Segments and the MANIFEST are fsynced before the log they replace is
// deleted. On Open, a torn or corrupt tail of a log (a batch whose length
// or CRC does not match, as left by a kill in mid-write) is cut off: only
// a batch whose write had not returned is lost that way. Damage anywhere
// else (a segment, the MANIFEST) is reported as a *CorruptError, never
// repaired silently.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strconv"

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
	// limit (0 = no limit), in time order (the earliest when limited).
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
	// PutDoc stores a document (an event, a case), replacing the one of
	// the same kind and ID.
	PutDoc(d Doc) error
	// Doc returns the document of that kind and ID, or an error wrapping
	// ErrNotFound.
	Doc(ctx context.Context, kind, id string) (Doc, error)
	// Docs returns the documents of a kind with from <= Time < to, in
	// order of time then ID, at most limit (0 = no limit).
	Docs(ctx context.Context, kind string, from, to int64, limit int) ([]Doc, error)
	// Close flushes, syncs and closes.
	Close() error
}

// Doc is an opaque JSON document kept by kind and ID: a place for events
// and cases until they get tables of their own.
type Doc struct {
	Kind string          // e.g. "event" or "case"; 1 to 255 bytes
	ID   string          // unique within Kind; 1 to 255 bytes
	Time int64           // UNIX milliseconds; what Docs selects and sorts by
	Body json.RawMessage // a valid JSON value
}

// Errors callers can test for with errors.Is.
var (
	// ErrNotFound is returned when a document does not exist.
	ErrNotFound = errors.New("not found")
	// ErrClosed is returned by calls on a closed store.
	ErrClosed = errors.New("store closed")
	// ErrLocked is returned by Open when another process has the
	// directory open.
	ErrLocked = errors.New("store directory in use")
	// ErrFormat is returned for an unknown export format.
	ErrFormat = errors.New("unknown export format")
)

// CorruptError reports a file whose content cannot be what the store
// wrote, other than a torn log tail (which Open cuts off silently).
type CorruptError struct {
	File   string // base name of the file
	Offset int64  // byte offset of the damage, -1 when not known
	Reason string
}

// Error implements error.
func (e *CorruptError) Error() string {
	if e.Offset >= 0 {
		return "corrupt " + e.File + " at offset " + strconv.FormatInt(e.Offset, 10) + ": " + e.Reason
	}
	return "corrupt " + e.File + ": " + e.Reason
}
