package ais

import (
	"bufio"
	"errors"
	"io"
	"math/rand/v2"
	"time"
)

// Stats counts what a Reader did with its input. Every line ends in exactly
// one of Skipped, Fragments, RejectedLines or a message; every complete
// message ends in exactly one of ByType, Duplicates or a message-level
// rejection.
type Stats struct {
	Lines      uint64 // lines read
	Skipped    uint64 // blank lines and '#' comments
	Sentences  uint64 // lines that parsed as VDM/VDO sentences
	Messages   uint64 // messages decoded
	ByType     [28]uint64
	Duplicates uint64 // messages dropped as repeats (Dedup)
	Incomplete uint64 // multi-sentence messages that never completed
	// Rejected counts rejections by reason: lines (framing), fragments
	// (assembly) and messages (decoding).
	Rejected [numReasons]uint64
}

// RejectedTotal returns the sum of Rejected.
func (s *Stats) RejectedTotal() uint64 {
	var n uint64
	for _, v := range s.Rejected {
		n += v
	}
	return n
}

// ReaderConfig configures a Reader. The zero value is a gpsdecode-like
// reader: no de-duplication.
type ReaderConfig struct {
	// MaxSentence rejects sentences longer than this many characters
	// (ErrLineTooLong). The default value is MaxSentence, the standard's
	// limit; a negative value accepts any length.
	MaxSentence int
	// Dedup drops a message whose payload equals one of the last Dedup
	// messages, as when several receivers hear one transmission. 0 turns
	// de-duplication off.
	Dedup int
	// Now returns the arrival time used when a sentence has no tag-block
	// time. The default is time.Now.
	Now func() time.Time
	// OnReject, when set, is called for every rejection with the line
	// number, the line (valid during the call) and the reason.
	OnReject func(line uint64, text []byte, reason Reason)
}

// Reader reads NMEA lines and yields decoded messages, counting what it
// rejects. Use it like bufio.Scanner:
//
//	r := ais.NewReader(f, ais.ReaderConfig{})
//	for r.Scan() {
//		m := r.Message()
//	}
//	if err := r.Err(); err != nil { ... } // I/O errors only
type Reader struct {
	cfg     ReaderConfig
	br      *bufio.Reader
	stats   Stats
	sent    Sentence
	asm     Assembler
	dec     Decoder
	msg     Message
	tag     *TagBlock
	channel byte
	err     error
	seed    uint64
	ring    []uint64
	ringPos int
	seen    map[uint64]int
	now     time.Time
	tick    int
	long    []byte
}

// NewReader returns a Reader of r.
func NewReader(r io.Reader, cfg ReaderConfig) *Reader {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxSentence == 0 {
		cfg.MaxSentence = MaxSentence
	}
	rd := &Reader{cfg: cfg, br: bufio.NewReaderSize(r, 64<<10), seed: rand.Uint64()}
	if cfg.Dedup > 0 {
		rd.ring = make([]uint64, cfg.Dedup)
		rd.seen = make(map[uint64]int, cfg.Dedup)
	}
	return rd
}

// Scan advances to the next message. It returns false at the end of the
// input or on an I/O error.
func (r *Reader) Scan() bool {
	for {
		line, err := r.readLine()
		if line == nil && err != nil {
			if !errors.Is(err, io.EOF) {
				r.err = err
			}
			n := uint64(r.asm.Flush())
			r.stats.Incomplete += n
			r.stats.Rejected[ErrExpired] += n
			return false
		}
		if r.handle(line) {
			return true
		}
	}
}

// readLine returns the next line without its terminator. A line longer
// than the buffer is returned truncated with its excess discarded.
func (r *Reader) readLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		r.long = append(r.long[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = r.br.ReadSlice('\n')
		}
		return r.long, nil
	}
	if len(line) == 0 {
		return nil, err
	}
	return line, nil
}

func (r *Reader) reject(line []byte, reason Reason) {
	r.stats.Rejected[reason]++
	if r.cfg.OnReject != nil {
		r.cfg.OnReject(r.stats.Lines, line, reason)
	}
}

// handle processes one line and reports whether it completed a message.
func (r *Reader) handle(line []byte) bool {
	r.stats.Lines++
	line = trimEOL(line)
	if len(line) == 0 || line[0] == '#' {
		r.stats.Skipped++
		return false
	}
	s := &r.sent
	if err := ParseSentence(line, s); err != nil {
		r.reject(line, reasonOf(err))
		return false
	}
	if r.cfg.MaxSentence > 0 && len(s.Raw) > r.cfg.MaxSentence {
		r.reject(line, ErrLineTooLong)
		return false
	}
	r.stats.Sentences++
	now := s.Tag.Time
	if now.IsZero() {
		now = r.cfg.Now()
	}
	r.tick++
	if r.tick&1023 == 0 {
		n := r.asm.Expire(now)
		r.stats.Incomplete += uint64(n)
		r.stats.Rejected[ErrExpired] += uint64(n)
	}
	before := r.asm.Expired
	bits, err := r.asm.Add(s, now)
	if d := r.asm.Expired - before; d > 0 {
		r.stats.Incomplete += d
		r.stats.Rejected[ErrExpired] += d
	}
	if err != nil {
		r.reject(line, reasonOf(err))
		return false
	}
	if bits == nil {
		return false
	}
	if r.ring != nil && r.duplicate(bits) {
		r.stats.Duplicates++
		return false
	}
	m, err := r.dec.Decode(bits)
	if err != nil {
		r.reject(line, reasonOf(err))
		return false
	}
	r.msg = m
	r.tag, r.channel = r.asm.First()
	r.stats.Messages++
	r.stats.ByType[m.Head().Type]++
	r.now = now
	if !r.tag.Time.IsZero() {
		r.now = r.tag.Time // a multi-sentence message is timed by its first sentence
	}
	return true
}

// duplicate reports whether bits were among the last Dedup messages, and
// remembers them.
func (r *Reader) duplicate(b *Bits) bool {
	k := r.seed ^ uint64(b.n)
	for i := range (b.n + 63) / 64 {
		k ^= b.w[i]
		k *= 0x9E3779B97F4A7C15
		k ^= k >> 29
	}
	if _, ok := r.seen[k]; ok {
		return true
	}
	old := r.ring[r.ringPos]
	if n, ok := r.seen[old]; ok && n == r.ringPos {
		delete(r.seen, old)
	}
	r.ring[r.ringPos] = k
	r.seen[k] = r.ringPos
	r.ringPos = (r.ringPos + 1) % len(r.ring)
	return false
}

func reasonOf(err error) Reason {
	var r Reason
	if errors.As(err, &r) {
		return r
	}
	return ErrNotAIS
}

// Message returns the message Scan found. It is owned by the Reader and
// valid until the next Scan; use Clone to keep it.
func (r *Reader) Message() Message { return r.msg }

// Tag returns the tag block of the message's first sentence (zero when it
// had none), valid until the next Scan.
func (r *Reader) Tag() *TagBlock { return r.tag }

// Channel returns the radio channel of the message's first sentence.
func (r *Reader) Channel() byte { return r.channel }

// Time returns the message's event time: its tag-block time, else its
// arrival time.
func (r *Reader) Time() time.Time { return r.now }

// Stats returns the counters so far.
func (r *Reader) Stats() *Stats { return &r.stats }

// Err returns the first I/O error other than io.EOF.
func (r *Reader) Err() error { return r.err }
