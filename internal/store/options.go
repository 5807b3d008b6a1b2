package store

import (
	"fmt"
	"time"
)

// Options configures Open. The zero value of every field means its
// default.
type Options struct {
	// SyncInterval is the group-commit period: while there is
	// acknowledged but unsynced data, it is fsynced this often. A
	// negative value turns periodic syncing off, so that only Sync and
	// Close fsync. The default value is 200 ms.
	SyncInterval time.Duration

	// SegmentDuration is the span of event time that one partition of
	// fixes covers; every segment file holds fixes of one partition, and
	// retention drops whole partitions. It is read when segments are
	// written, so a store may hold segments of several durations. The
	// default value is 1 hour; it must be at least 1 second.
	SegmentDuration time.Duration

	// Retention is how long fixes are kept, measured back from Now: the
	// background worker drops, about once a minute, the segments whose
	// partition ended before Now() - Retention. Zero keeps every fix (the
	// default; set it for a live server, not for an archive import whose
	// data is older than Retention). Retain drops segments on demand.
	Retention time.Duration

	// MemtableSize is the memory, in bytes, of appended fixes held before
	// they are written out as segments (each fix takes about 72 bytes).
	// The default value is 64 MiB.
	MemtableSize int

	// MemtableStopWrites is how many full memtables may wait to be written
	// out before AppendFixes waits for the background writer (a write
	// stall, as in Pebble), so that memory stays bounded when the disk is
	// slower than the feed. The default value is 2.
	MemtableStopWrites int

	// CompactionThreshold is how many segments one partition may have
	// before its CompactionThreshold smallest are merged into one (size
	// tiers, so that a big segment is not rewritten by every flush). A
	// partition that has ended (its end is a SegmentDuration behind the
	// newest fix written out) is merged into one segment as soon as it has
	// two. The default value is 8.
	CompactionThreshold int

	// Now returns the current time; it is used only for Retention and to
	// bound the effect of fixes from the future. The default is time.Now.
	Now func() time.Time
}

// Option defaults.
const (
	DefaultSyncInterval        = 200 * time.Millisecond
	DefaultSegmentDuration     = time.Hour
	DefaultMemtableSize        = 64 << 20
	DefaultMemtableStopWrites  = 2
	DefaultCompactionThreshold = 8
)

// retentionCheck is how often the background worker applies Retention.
const retentionCheck = time.Minute

// withDefaults returns o with zero fields replaced by their defaults, or
// an error when a field is out of range.
func (o Options) withDefaults() (Options, error) {
	if o.SyncInterval == 0 {
		o.SyncInterval = DefaultSyncInterval
	}
	if o.SegmentDuration == 0 {
		o.SegmentDuration = DefaultSegmentDuration
	}
	if o.MemtableSize == 0 {
		o.MemtableSize = DefaultMemtableSize
	}
	if o.MemtableStopWrites == 0 {
		o.MemtableStopWrites = DefaultMemtableStopWrites
	}
	if o.CompactionThreshold == 0 {
		o.CompactionThreshold = DefaultCompactionThreshold
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	switch {
	case o.SegmentDuration < time.Second:
		return o, fmt.Errorf("segment duration %v: below 1s", o.SegmentDuration)
	case o.Retention < 0:
		return o, fmt.Errorf("retention %v: negative", o.Retention)
	case o.MemtableSize < 0:
		return o, fmt.Errorf("memtable size %d: negative", o.MemtableSize)
	case o.MemtableStopWrites < 0:
		return o, fmt.Errorf("memtable stop writes %d: negative", o.MemtableStopWrites)
	case o.CompactionThreshold < 2:
		return o, fmt.Errorf("compaction threshold %d: below 2", o.CompactionThreshold)
	}
	return o, nil
}
