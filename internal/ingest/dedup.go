package ingest

// dedup remembers the keys of recent messages with their event times, in
// arrival order, to find copies of one transmission heard by several
// receivers (or sent twice by one). It holds at most max keys: the oldest
// go first, and a key goes once it is more than the window behind the
// pipeline watermark in event time and has been held for the window in
// arrival time too, so that copies from a receiver that lags, or of
// messages that arrive late (satellite), are still found. It is owned by
// the pipeline's Run goroutine.
//
// The keys are already uniform 64-bit hashes, so the index is an
// open-addressing table with linear probing and backward-shift deletion
// (no tombstones), kept at most half full; it grows with the number of
// keys held, up to twice max slots.
type dedup struct {
	window int64 // event-time window, ms
	slots  []slot
	mask   uint64
	count  int
	fifo   ring[seenEntry]
}

// A slot of the index: a key and the sequence number of its entry in
// fifo. Key 0 marks an empty slot (keys are never 0).
type slot struct {
	key uint64
	seq uint64
}

type seenEntry struct {
	key     uint64 // 0 once a newer entry for the same key replaced it
	time    int64  // event time of the first copy, UNIX ms
	arrival int64  // arrival (clock) time of the first copy, UNIX ms
	fix     uint64 // sequence number + 1 of the copy's fix while held; 0 if none
}

const minDedupSlots = 1 << 12

func newDedup(window int64, max int) *dedup {
	return &dedup{
		window: window,
		slots:  make([]slot, minDedupSlots),
		mask:   minDedupSlots - 1,
		fifo:   ring[seenEntry]{max: max},
	}
}

// find returns the index of key's slot, or of the empty slot where it
// would go.
func (d *dedup) find(key uint64) uint64 {
	i := key & d.mask
	for {
		k := d.slots[i].key
		if k == key || k == 0 {
			return i
		}
		i = (i + 1) & d.mask
	}
}

// check reports whether key at event time t is a copy of a message seen
// within the window, and returns that message's entry; otherwise it
// remembers key, arrived at clock time now, and returns its new entry.
func (d *dedup) check(key uint64, t, now int64) (e *seenEntry, dup bool) {
	i := d.find(key)
	s := &d.slots[i]
	if s.key == key {
		old := d.fifo.at(s.seq)
		if dt := t - old.time; dt <= d.window && dt >= -d.window {
			return old, true
		}
		old.key = 0 // stale: its slot now points to the new entry
		if d.fifo.full() {
			d.drop()
			i = d.find(key) // the drop may have moved the slot
		}
		seq := d.fifo.push(seenEntry{key: key, time: t, arrival: now})
		d.slots[i].seq = seq
		return d.fifo.at(seq), false
	}
	if d.fifo.full() {
		d.drop()
		i = d.find(key)
	}
	if 2*(d.count+1) > len(d.slots) {
		d.grow()
		i = d.find(key)
	}
	seq := d.fifo.push(seenEntry{key: key, time: t, arrival: now})
	d.slots[i] = slot{key: key, seq: seq}
	d.count++
	return d.fifo.at(seq), false
}

// expire forgets keys whose event time is more than the window before
// low and that arrived more than the window before now, oldest arrival
// first, stopping at the first that is not.
func (d *dedup) expire(low, now int64) {
	for d.fifo.len() > 0 {
		e := d.fifo.front()
		if e.time+d.window >= low || e.arrival+d.window >= now {
			return
		}
		d.drop()
	}
}

// drop forgets the oldest entry.
func (d *dedup) drop() {
	if e := d.fifo.front(); e.key != 0 {
		d.remove(d.find(e.key))
	}
	d.fifo.pop()
}

// remove empties slot i, shifting back the slots after it that probed
// past it.
func (d *dedup) remove(i uint64) {
	d.count--
	for j := (i + 1) & d.mask; ; j = (j + 1) & d.mask {
		k := d.slots[j].key
		if k == 0 {
			break
		}
		home := k & d.mask
		// Move slot j to i when i lies on j's probe path: between its
		// home and j, cyclically.
		if (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j) {
			d.slots[i] = d.slots[j]
			i = j
		}
	}
	d.slots[i] = slot{}
}

func (d *dedup) grow() {
	old := d.slots
	d.slots = make([]slot, 2*len(old))
	d.mask = uint64(len(d.slots) - 1)
	for _, s := range old {
		if s.key != 0 {
			d.slots[d.find(s.key)] = s
		}
	}
}
