package ingest

import (
	"bytes"
	"errors"
	"time"

	"straitwatch/ais"
	"straitwatch/internal/track"
)

// A fixRec is a fix on its way through the pipeline.
type fixRec struct {
	key     uint64 // de-duplication key; 0 = never a duplicate
	arrival int64  // clock time, UNIX ms
	fix     track.Fix
}

// A staticRec is static data on its way through the pipeline.
type staticRec struct {
	key     uint64
	arrival int64
	withFix bool // the same message also gave a fix (counted there)
	st      track.Static
}

// An otherRec is a decoded message that is neither a fix nor static data:
// it takes part in de-duplication and counting only.
type otherRec struct {
	key  uint64
	time int64 // event time, UNIX ms
}

// A textRec is a safety text (types 12 and 14), passed on for the
// distress rules.
type textRec struct {
	key  uint64
	text track.Text
}

// A block carries up to blockSize decoded messages of one source to the
// pipeline. Blocks are pooled: whoever holds one owns it until it is
// delivered or put back.
type block struct {
	src     *Source
	fixes   []fixRec
	statics []staticRec
	others  []otherRec
	texts   []textRec
	msgs    int // messages in the block
}

func (b *block) reset() {
	b.src = nil
	b.fixes = b.fixes[:0]
	clear(b.statics) // drop string references
	b.statics = b.statics[:0]
	b.others = b.others[:0]
	clear(b.texts)
	b.texts = b.texts[:0]
	b.msgs = 0
}

// staticKey derives the de-duplication key of a message's static data
// from the message's key, so that the fix and the static record of one
// message (types 19 and 21) do not collide.
func staticKey(k uint64) uint64 {
	if k == 0 {
		return 0
	}
	return k ^ 0x5bd1e9955bd1e995
}

// hashBits returns the de-duplication key of a payload: a 64-bit hash of
// its bits and length, never 0.
func hashBits(b *ais.Bits, seed uint64) uint64 {
	n := b.Len()
	h := seed ^ uint64(n)*0xff51afd7ed558ccd
	for pos := 0; pos < n; pos += 56 {
		h ^= b.Uint(pos, min(56, n-pos))
		h *= 0x9E3779B97F4A7C15
		h ^= h >> 29
	}
	h ^= h >> 32
	if h == 0 {
		h = 1
	}
	return h
}

// A framer turns the bytes of one connection, datagram stream or file
// into decoded, normalised messages: lines, sentences, multi-sentence
// assembly, decoding, track.FromMessage. It fills blocks and hands them to
// emit. A framer is owned by one goroutine.
type framer struct {
	src     *Source
	id      track.SourceID
	heard   uint64 // the source's Heard bit
	seed    uint64
	maxLine int
	maxSent int
	retime  bool

	asm  ais.Assembler
	dec  ais.Decoder
	sent ais.Sentence

	partial  []byte // start of a line whose end has not arrived
	skipping bool   // discarding the rest of an over-long line

	arrival   time.Time // arrival time of the bytes being fed
	arrivalMS int64
	tick      int

	// pace, when set, is called with the tag-block time of every sentence
	// that has one, before it is handled (replay at N× speed); an error
	// stops the framer.
	pace func(t time.Time) error
	err  error

	blk  *block
	emit func(*block) // takes ownership of a non-empty block
	n    counts
}

func (s *Source) newFramer(emit func(*block)) *framer {
	f := &framer{
		src:     s,
		id:      s.cfg.ID,
		seed:    s.p.seed,
		maxLine: s.cfg.MaxLine,
		maxSent: s.cfg.MaxSentence,
		retime:  s.cfg.Retime,
		emit:    emit,
		blk:     s.p.getBlock(),
	}
	if s.cfg.ID < 64 {
		f.heard = 1 << s.cfg.ID
	}
	return f
}

// setArrival sets the arrival time of the bytes fed next.
func (f *framer) setArrival(t time.Time) {
	f.arrival = t
	f.arrivalMS = t.UnixMilli()
}

// feed handles data, which may end in the middle of a line: that part is
// kept for the next call. It returns the pacing error, if any.
func (f *framer) feed(data []byte) error {
	for len(data) > 0 && f.err == nil {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			f.keep(data)
			break
		}
		line := data[:i]
		data = data[i+1:]
		switch {
		case f.skipping:
			f.skipping = false // the end of an over-long line, already counted
		case len(f.partial) > 0:
			if len(f.partial)+len(line) > f.maxLine {
				f.partial = f.partial[:0]
				f.tooLong()
				continue
			}
			f.partial = append(f.partial, line...)
			f.line(f.partial)
			f.partial = f.partial[:0]
		case len(line) > f.maxLine:
			f.tooLong()
		default:
			f.line(line)
		}
	}
	return f.err
}

// keep stores the start of an unfinished line.
func (f *framer) keep(data []byte) {
	if f.skipping {
		return
	}
	if len(f.partial)+len(data) > f.maxLine {
		f.partial = f.partial[:0]
		f.skipping = true
		f.tooLong()
		return
	}
	f.partial = append(f.partial, data...)
}

func (f *framer) tooLong() {
	f.n.lines++
	f.n.reject(int(ais.ErrLineTooLong))
}

// endLine ends the current line, as at the end of a datagram or file
// whose last line has no terminator.
func (f *framer) endLine() {
	if f.skipping {
		f.skipping = false
		return
	}
	if len(f.partial) > 0 && f.err == nil {
		f.line(f.partial)
	}
	f.partial = f.partial[:0]
}

// finish ends the stream: the unfinished line is handled and messages
// still waiting for fragments are counted as incomplete.
func (f *framer) finish() {
	f.endLine()
	n := uint64(f.asm.Flush())
	f.n.incomplete += n
	f.n.rejects[ais.ErrExpired] += n
	f.n.anyReject = f.n.anyReject || n > 0
}

// flush hands the filled block on and folds the counters into the
// source's.
func (f *framer) flush() {
	f.src.fold(&f.n)
	if f.blk.msgs > 0 {
		f.emit(f.blk)
		f.blk = f.src.p.getBlock()
	}
}

// release returns the framer's block to the pool; the framer is not used
// again.
func (f *framer) release() {
	f.src.fold(&f.n)
	if f.blk != nil {
		f.src.p.putBlock(f.blk)
		f.blk = nil
	}
}

// line handles one line without its '\n'.
func (f *framer) line(line []byte) {
	f.n.lines++
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if len(line) == 0 || line[0] == '#' {
		f.n.skipped++
		return
	}
	s := &f.sent
	if err := ais.ParseSentence(line, s); err != nil {
		f.n.reject(reasonIndex(err))
		return
	}
	if f.maxSent > 0 && len(s.Raw) > f.maxSent {
		f.n.reject(int(ais.ErrLineTooLong))
		return
	}
	f.n.sentences++
	now := s.Tag.Time
	if f.pace != nil && !now.IsZero() {
		if err := f.pace(now); err != nil {
			f.err = err
			return
		}
	}
	if now.IsZero() || f.retime {
		now = f.arrival
	}
	f.tick++
	if f.tick&1023 == 0 && f.asm.Pending() > 0 {
		f.expired(f.asm.Expire(now))
	}
	before := f.asm.Expired
	bits, err := f.asm.Add(s, now)
	if d := f.asm.Expired - before; d > 0 {
		f.expired(int(d))
	}
	if err != nil {
		f.n.reject(reasonIndex(err))
		return
	}
	if bits == nil {
		return // a fragment; the message completes later
	}
	key := hashBits(bits, f.seed)
	m, err := f.dec.Decode(bits)
	if err != nil {
		f.n.reject(reasonIndex(err))
		return
	}
	f.n.messages++
	f.n.lastMsg = f.arrivalMS
	t := now
	if tag, _ := f.asm.First(); !f.retime && !tag.Time.IsZero() {
		t = tag.Time // a multi-sentence message is timed by its first sentence
	}
	f.add(m, key, t.UnixMilli())
}

func (f *framer) expired(n int) {
	if n > 0 {
		f.n.incomplete += uint64(n)
		f.n.reject(int(ais.ErrExpired))
		f.n.rejects[ais.ErrExpired] += uint64(n - 1)
	}
}

// add normalises a decoded message into the block.
func (f *framer) add(m ais.Message, key uint64, t int64) {
	fix, okFix, st, okStatic := track.FromMessage(m, t, f.id)
	b := f.blk
	switch {
	case okFix || okStatic:
		if okFix {
			fix.Source = f.id
			fix.Heard |= f.heard
			b.fixes = append(b.fixes, fixRec{key: key, arrival: f.arrivalMS, fix: fix})
		}
		if okStatic {
			st.Source = f.id
			b.statics = append(b.statics, staticRec{key: staticKey(key), arrival: f.arrivalMS, withFix: okFix, st: st})
		}
	default:
		if tx, ok := track.TextOf(m, t, f.id); ok {
			b.texts = append(b.texts, textRec{key: key, text: tx})
		} else {
			b.others = append(b.others, otherRec{key: key, time: t})
		}
	}
	b.msgs++
	if b.msgs >= blockSize {
		f.flush()
	}
}

// reasonIndex returns the reject counter of an error from the ais
// package.
func reasonIndex(err error) int {
	r, ok := err.(ais.Reason)
	if !ok && !errors.As(err, &r) {
		return int(ais.ErrNotAIS)
	}
	if int(r) < numAISReasons {
		return int(r)
	}
	return int(ais.ErrNotAIS)
}
