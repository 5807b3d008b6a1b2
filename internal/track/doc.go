// Package track holds the live state of every vessel: the latest position
// and kinematics, static and voyage data merged from every message type
// that carries it, the MMSI's kind and flag, and the receivers that heard
// it. It is the "tracker" stage of the pipeline: ingest normalises decoded
// AIS messages with [FromMessage] and hands the results to a [Table] in
// batches; the HTTP API reads the Table with [Table.InBox] and [Table.Get].
//
// # Ownership
//
// The Table is sharded by MMSI. Each shard's vessels are owned by one
// goroutine, started by [Table.Run]: updates reach it as batches over a
// bounded channel ([Table.Apply], which copies, so callers keep their
// slices) and queries as requests over another ([Table.InBox],
// [Table.AppendInBox], [Table.Get], [Table.Expire]), so per-vessel updates
// take no locks. Queries take priority over queued batches: a query waits
// for at most the batch being applied ([Config.BatchSize] reports) plus
// its own scan. [Table.Flush] waits until what was applied before it is
// visible, for deterministic replays and tests.
//
// Queries ask the owners instead of reading snapshots the owners publish:
// measured (BenchmarkShardStall), a world-box query holds an owner of 50k
// vessels for about 2 ms, and a strait-sized one for 0.4-0.8 ms, while
// copying the same shard for one snapshot costs 1-6 ms at every publish,
// wanted or not, doubles the memory per vessel and serves stale data.
// The owner copies what matched; the caller builds the Vessels.
//
// # Event time
//
// Everything runs on the event time carried by the data (UNIX
// milliseconds), never on the wall clock: the latest fix of a vessel is the
// one with the newest event time, whatever order fixes arrive in, and
// replaying an archive gives the same state as hearing it live.
//
// # Not available
//
// AIS reserves values for "not available" (latitude 91, speed 102.3 kn,
// heading 511, ...). This package never turns them into numbers: a float is
// NaN, a heading is -1, a string is empty and a Static field group is
// absent (see [StaticFields]). A position report without a valid position
// is not a fix.
package track
