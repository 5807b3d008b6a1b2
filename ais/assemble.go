package ais

import "time"

// Assembler joins the sentences of multi-sentence messages. Fragments are
// keyed by tag-block source, channel, sequence id, fragment count and
// tag-block group, so messages from several receivers or channels may
// interleave. A message whose fragments stop coming is dropped and counted
// once it is older than MaxAge or when more than MaxPending are open.
//
// An Assembler is not safe for concurrent use. The zero value uses the
// defaults.
type Assembler struct {
	// MaxAge is how long, in event time, a message may wait for its next
	// fragment. The default value is 10 seconds: fragments are sent in
	// consecutive slots.
	MaxAge time.Duration
	// MaxPending bounds the messages waiting for fragments. The default
	// value is 1024.
	MaxPending int

	// Expired counts messages dropped incomplete: timed out, evicted,
	// superseded by a new first fragment, or left at Flush.
	Expired uint64

	pending map[fragKey]*partial
	free    []*partial
	out     Bits
	tag     TagBlock // of the last completed message's first sentence
	tagBuf  []byte   // owns tag's bytes for multi-sentence messages
	channel byte
}

type fragKey struct {
	source  string
	channel byte
	seq     int
	total   int
	group   int
}

type partial struct {
	bits    Bits
	next    int // fragment number expected next
	started time.Time
	tagRaw  []byte // first sentence's tag block, copied: lines do not outlive Add
	channel byte
}

func (a *Assembler) maxAge() time.Duration {
	if a.MaxAge > 0 {
		return a.MaxAge
	}
	return 10 * time.Second
}

func (a *Assembler) maxPending() int {
	if a.MaxPending > 0 {
		return a.MaxPending
	}
	return 1024
}

// Add adds a sentence seen at event time now. When it completes a message,
// Add returns the message's bits, valid until the next call; otherwise it
// returns nil. Errors are Reasons: ErrStrayFragment for a fragment with no
// open message, payload errors from Unarmor.
func (a *Assembler) Add(s *Sentence, now time.Time) (*Bits, error) {
	if s.Total == 1 {
		a.out.Reset()
		if err := a.out.Unarmor(s.Payload, s.Fill); err != nil {
			return nil, err
		}
		a.tag, a.channel = s.Tag, s.Channel
		return &a.out, nil
	}
	k := fragKey{channel: s.Channel, seq: s.Seq, total: s.Total, group: s.Tag.Group.ID}
	if k.channel == '1' {
		k.channel = 'A'
	} else if k.channel == '2' {
		k.channel = 'B'
	}
	if s.Tag.Source != nil {
		k.source = string(s.Tag.Source)
	}
	if a.pending == nil {
		a.pending = make(map[fragKey]*partial)
	}
	p := a.pending[k]
	if s.Num == 1 {
		if p != nil {
			a.Expired++ // superseded before completion
		} else {
			if len(a.pending) >= a.maxPending() {
				a.evictOldest()
			}
			p = a.get()
			a.pending[k] = p
		}
		p.bits.Reset()
		p.next = 1
		p.started = now
		p.tagRaw = append(p.tagRaw[:0], s.Tag.Raw...)
		p.channel = s.Channel
	}
	if p == nil || p.next != s.Num {
		if p != nil {
			a.drop(k, p)
		}
		return nil, ErrStrayFragment
	}
	if err := p.bits.Unarmor(s.Payload, s.Fill); err != nil {
		a.drop(k, p)
		return nil, err
	}
	p.next++
	if s.Num < s.Total {
		return nil, nil
	}
	a.out = p.bits
	a.tagBuf = append(a.tagBuf[:0], p.tagRaw...)
	a.tag, a.channel = TagBlock{}, p.channel
	if len(a.tagBuf) > 0 {
		_ = parseTagBlock(a.tagBuf, &a.tag) // parsed once already
	}
	delete(a.pending, k)
	a.put(p)
	return &a.out, nil
}

// First returns the tag block and channel of the first sentence of the
// message Add last completed, valid until the next call.
func (a *Assembler) First() (*TagBlock, byte) { return &a.tag, a.channel }

// Expire drops messages that have waited longer than MaxAge at event time
// now, and returns how many it dropped.
func (a *Assembler) Expire(now time.Time) int {
	n := 0
	for k, p := range a.pending {
		if now.Sub(p.started) > a.maxAge() {
			a.drop(k, p)
			n++
		}
	}
	return n
}

// Pending returns the number of messages waiting for fragments.
func (a *Assembler) Pending() int { return len(a.pending) }

// Flush drops every open message, as at the end of a stream, and returns
// how many it dropped.
func (a *Assembler) Flush() int {
	n := 0
	for k, p := range a.pending {
		a.drop(k, p)
		n++
	}
	return n
}

func (a *Assembler) evictOldest() {
	var ok fragKey
	var op *partial
	for k, p := range a.pending {
		if op == nil || p.started.Before(op.started) {
			ok, op = k, p
		}
	}
	if op != nil {
		a.drop(ok, op)
	}
}

func (a *Assembler) drop(k fragKey, p *partial) {
	delete(a.pending, k)
	a.put(p)
	a.Expired++
}

func (a *Assembler) get() *partial {
	if n := len(a.free); n > 0 {
		p := a.free[n-1]
		a.free = a.free[:n-1]
		return p
	}
	return new(partial)
}

func (a *Assembler) put(p *partial) {
	if len(a.free) < 64 {
		a.free = append(a.free, p)
	}
}
