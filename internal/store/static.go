package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sync"

	"straitwatch/internal/track"
)

// staticStore keeps static history in static.log: one frame per distinct
// record, each pointing back to the vessel's previous one. In memory it
// keeps, per vessel, the offset of the latest record and a hash of each of
// its field groups (about 100 bytes a vessel), so that an unchanged report
// costs no I/O.
type staticStore struct {
	log   *recordLog
	mu    sync.Mutex // guards heads; held across a PutStatic
	heads map[uint32]staticHead
}

const staticGroups = 8 // the bits of track.StaticFields

type staticHead struct {
	off  int64
	has  track.StaticFields
	sums [staticGroups]uint64
}

func openStatic(path string) (*staticStore, error) {
	st := &staticStore{heads: make(map[uint32]staticHead)}
	log, err := openRecordLog(path, func(off int64, p []byte) error {
		s, prev, err := decodeStatic(p)
		if err != nil || prev >= off {
			return &CorruptError{File: "static.log", Offset: off, Reason: "malformed record"}
		}
		st.heads[s.MMSI] = staticHead{off: off, has: s.Has, sums: groupSums(&s)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	st.log = log
	return st, nil
}

// PutStatic records static data. Only the field groups in s.Has are read:
// they are merged into the vessel's latest record, and the result becomes
// a new entry of its history, with s.Time and s.Source, when any field
// changed. So both whole merged records and single messages (a type 24
// part A, say) may be passed. A record with no Has bits is ignored. The
// durability policy is that of AppendFixes.
func (db *DB) PutStatic(s track.Static) error {
	db.mu.RLock()
	err := db.writable()
	db.mu.RUnlock()
	if err != nil {
		return err
	}
	if s.Has == 0 {
		return nil
	}
	changed, err := db.static.put(&s)
	if err != nil {
		return fmt.Errorf("static %d: %w", s.MMSI, err)
	}
	if changed {
		db.pending.Add(1)
	}
	return nil
}

func (st *staticStore) put(s *track.Static) (bool, error) {
	sums := groupSums(s)
	st.mu.Lock()
	defer st.mu.Unlock()
	h, ok := st.heads[s.MMSI]
	if ok && s.Has&^h.has == 0 {
		same := true
		for g := range staticGroups {
			if s.Has&(1<<g) != 0 && sums[g] != h.sums[g] {
				same = false
				break
			}
		}
		if same {
			return false, nil
		}
	}
	var merged track.Static
	prev := int64(-1)
	if ok {
		p, err := st.log.read(h.off)
		if err != nil {
			return false, err
		}
		if merged, _, err = decodeStatic(p); err != nil {
			return false, &CorruptError{File: "static.log", Offset: h.off, Reason: "malformed record"}
		}
		prev = h.off
	}
	mergeStatic(&merged, s)
	off, err := st.log.append(encodeStatic(nil, &merged, prev))
	if err != nil {
		return false, err
	}
	st.heads[s.MMSI] = staticHead{off: off, has: merged.Has, sums: groupSums(&merged)}
	return true, nil
}

// mergeStatic copies the groups that s carries into dst.
func mergeStatic(dst, s *track.Static) {
	dst.MMSI, dst.Time, dst.Source = s.MMSI, s.Time, s.Source
	dst.Has |= s.Has
	if s.Has&track.HasName != 0 {
		dst.Name = s.Name
	}
	if s.Has&track.HasCallSign != 0 {
		dst.CallSign = s.CallSign
	}
	if s.Has&track.HasIMO != 0 {
		dst.IMO = s.IMO
	}
	if s.Has&track.HasShipType != 0 {
		dst.ShipType = s.ShipType
	}
	if s.Has&track.HasDimensions != 0 {
		dst.ToBow, dst.ToStern, dst.ToPort, dst.ToStarboard = s.ToBow, s.ToStern, s.ToPort, s.ToStarboard
	}
	if s.Has&track.HasVoyage != 0 {
		dst.Draught, dst.Destination, dst.ETA = s.Draught, s.Destination, s.ETA
	}
	if s.Has&track.HasAidType != 0 {
		dst.AidType = s.AidType
	}
	if s.Has&track.HasMothership != 0 {
		dst.Mothership = s.Mothership
	}
}

// groupSums hashes each field group of s.
func groupSums(s *track.Static) [staticGroups]uint64 {
	var out [staticGroups]uint64
	var b []byte
	sum := func(g int, b []byte) {
		h := uint64(14695981039346656037) // FNV-1a
		for _, c := range b {
			h ^= uint64(c)
			h *= 1099511628211
		}
		out[g] = h
	}
	sum(0, []byte(s.Name))
	sum(1, []byte(s.CallSign))
	sum(2, binary.LittleEndian.AppendUint32(b[:0], s.IMO))
	sum(3, []byte{s.ShipType})
	b = binary.LittleEndian.AppendUint16(b[:0], s.ToBow)
	b = binary.LittleEndian.AppendUint16(b, s.ToStern)
	sum(4, append(b, s.ToPort, s.ToStarboard))
	b = binary.LittleEndian.AppendUint32(b[:0], math.Float32bits(s.Draught))
	b = appendString(b, s.Destination)
	sum(5, appendString(b, s.ETA))
	sum(6, []byte{s.AidType})
	sum(7, binary.LittleEndian.AppendUint32(b[:0], s.Mothership))
	return out
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// encodeStatic appends a static.log record: version 1, the offset of the
// vessel's previous record (-1 for none), then the fields.
func encodeStatic(b []byte, s *track.Static, prev int64) []byte {
	le := binary.LittleEndian
	b = append(b, 1)
	b = le.AppendUint64(b, uint64(prev))
	b = le.AppendUint32(b, s.MMSI)
	b = le.AppendUint64(b, uint64(s.Time))
	b = append(b, byte(s.Has))
	b = appendString(b, s.Name)
	b = appendString(b, s.CallSign)
	b = le.AppendUint32(b, s.IMO)
	b = append(b, s.ShipType)
	b = le.AppendUint16(b, s.ToBow)
	b = le.AppendUint16(b, s.ToStern)
	b = append(b, s.ToPort, s.ToStarboard)
	b = le.AppendUint32(b, math.Float32bits(s.Draught))
	b = appendString(b, s.Destination)
	b = appendString(b, s.ETA)
	b = append(b, s.AidType)
	b = le.AppendUint32(b, s.Mothership)
	b = le.AppendUint16(b, uint16(s.Source))
	return b
}

func decodeStatic(p []byte) (track.Static, int64, error) {
	d := blockDecoder{b: p}
	le := binary.LittleEndian
	str := func() string {
		n := d.uvarint()
		if n > uint64(len(d.b)) {
			d.err = errShort
			return ""
		}
		return string(d.bytes(int(n)))
	}
	var s track.Static
	if v := d.bytes(1)[0]; v != 1 {
		return s, 0, errShort
	}
	prev := int64(le.Uint64(d.bytes(8)))
	s.MMSI = le.Uint32(d.bytes(4))
	s.Time = int64(le.Uint64(d.bytes(8)))
	s.Has = track.StaticFields(d.bytes(1)[0])
	s.Name = str()
	s.CallSign = str()
	s.IMO = le.Uint32(d.bytes(4))
	s.ShipType = d.bytes(1)[0]
	s.ToBow = le.Uint16(d.bytes(2))
	s.ToStern = le.Uint16(d.bytes(2))
	pb := d.bytes(2)
	s.ToPort, s.ToStarboard = pb[0], pb[1]
	s.Draught = math.Float32frombits(le.Uint32(d.bytes(4)))
	s.Destination = str()
	s.ETA = str()
	s.AidType = d.bytes(1)[0]
	s.Mothership = le.Uint32(d.bytes(4))
	s.Source = track.SourceID(le.Uint16(d.bytes(2)))
	if d.err != nil {
		return s, 0, d.err
	}
	if len(d.b) != 0 {
		return s, 0, errShort
	}
	return s, prev, nil
}

// StaticHistory returns a vessel's distinct static records, oldest first.
func (db *DB) StaticHistory(ctx context.Context, mmsi uint32) ([]track.Static, error) {
	db.mu.RLock()
	closed := db.closed
	db.mu.RUnlock()
	if closed {
		return nil, ErrClosed
	}
	st := db.static
	st.mu.Lock()
	h, ok := st.heads[mmsi]
	st.mu.Unlock()
	if !ok {
		return nil, nil
	}
	var out []track.Static
	for off := h.off; off >= 0; {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, err := st.log.read(off)
		if err != nil {
			return nil, fmt.Errorf("static %d: %w", mmsi, err)
		}
		s, prev, err := decodeStatic(p)
		if err != nil || prev >= off || s.MMSI != mmsi {
			return nil, fmt.Errorf("static %d: %w", mmsi, &CorruptError{File: "static.log", Offset: off, Reason: "malformed record"})
		}
		out = append(out, s)
		off = prev
	}
	slices.Reverse(out)
	return out, nil
}
