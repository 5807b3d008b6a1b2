// Package ingest brings AIS into straitwatch: sources (TCP client and
// server, UDP, file replay, CSV archives, in-process generators), the
// framing and decoding of their lines, de-duplication of one transmission
// heard by several receivers, event time and watermarks, and the hand-over
// of normalised fixes and static data, in batches, to a Sink.
//
// # Data flow
//
//	source goroutines (one per TCP connection, per UDP socket, per file
//	worker): bytes -> lines -> ais.ParseSentence -> ais.Assembler ->
//	ais.Decoder -> track.FromMessage -> blocks of up to 1024 messages
//	  -> the source's bounded queue (shed or wait when full)
//	  -> Pipeline.Run (one goroutine): queues taken in turn ->
//	     watermarks -> de-duplication -> held for copies -> Batch -> Sink
//
// Decoding runs where the bytes arrive, so it spreads over the cores with
// the connections; a file replayed as fast as possible is cut into 1 MiB
// chunks at message boundaries and decoded by several workers, its order
// kept. The pipeline goroutine does only what needs every source at once.
//
// # Event time
//
// A message's event time is its tag-block c: time (the first sentence's,
// for a multi-sentence message), or the archive's timestamp, or else its
// arrival time from the configured clock. Each source's watermark is the
// latest event time it has delivered; the pipeline's low watermark is the
// least over the sources that are running and have delivered within
// PipelineConfig.IdleSource. Late messages (more than the window behind
// their source's watermark) and messages from the future (past
// FutureLimit) are passed on and counted.
//
// # De-duplication
//
// Two messages are copies when their payload bits are equal and their
// event times are within PipelineConfig.Window (2 s by default). The first
// copy is kept; it is held until the low watermark is a window past it,
// or for at most PipelineConfig.Hold of clock time (500 ms by default),
// and every copy arriving meanwhile adds its source's bit to the fix's
// Heard. The memory is bounded: DedupEntries keys and Pending held
// messages, the oldest going first.
//
// # Overload
//
// Every queue is bounded: a source's queue holds SourceConfig.Queue
// blocks. When the sink is slower than the input, the queues fill; a
// network source then drops what it cannot queue and counts it as Shed
// (per source, in Health), while a file or CSV source waits. Each TCP
// connection is read by its own goroutine with a read deadline and TCP
// keep-alive, so a slow or half-open connection holds only itself;
// MaxConns bounds a server's connections, MaxLine bounds a line. Every
// line ends counted: skipped, rejected by reason, a fragment of a message,
// or a message that is shed, a duplicate or delivered (see SourceHealth).
//
// # Goroutines and locks
//
// Every goroutine ends with the context given to Run: sources close their
// sockets when it is done, and Pipeline.Run returns only after every
// source has returned. Counters are atomics; Source.mu guards only the
// bound address and last error, and no other lock is taken while it is
// held.
package ingest
