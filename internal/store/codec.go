package store

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"

	"straitwatch/internal/track"
)

// castagnoli is the CRC-32C table; amd64 and arm64 compute it in hardware.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// rawFixSize is the size of one fix in the write-ahead log.
const rawFixSize = 50

// putRawFix encodes f into b[:rawFixSize], fixed-size and lossless.
func putRawFix(b []byte, f *track.Fix) {
	_ = b[rawFixSize-1]
	le := binary.LittleEndian
	le.PutUint32(b[0:], f.MMSI)
	le.PutUint64(b[4:], uint64(f.Time))
	le.PutUint64(b[12:], math.Float64bits(f.Lat))
	le.PutUint64(b[20:], math.Float64bits(f.Lon))
	le.PutUint32(b[28:], math.Float32bits(f.SOG))
	le.PutUint32(b[32:], math.Float32bits(f.COG))
	le.PutUint16(b[36:], uint16(f.Heading))
	b[38] = f.Status
	b[39] = byte(f.Class)
	le.PutUint16(b[40:], uint16(f.Source))
	le.PutUint64(b[42:], f.Heard)
}

// rawFix decodes what putRawFix encoded.
func rawFix(b []byte) track.Fix {
	_ = b[rawFixSize-1]
	le := binary.LittleEndian
	return track.Fix{
		MMSI:    le.Uint32(b[0:]),
		Time:    int64(le.Uint64(b[4:])),
		Lat:     math.Float64frombits(le.Uint64(b[12:])),
		Lon:     math.Float64frombits(le.Uint64(b[20:])),
		SOG:     math.Float32frombits(le.Uint32(b[28:])),
		COG:     math.Float32frombits(le.Uint32(b[32:])),
		Heading: int16(le.Uint16(b[36:])),
		Status:  b[38],
		Class:   track.Class(b[39]),
		Source:  track.SourceID(le.Uint16(b[40:])),
		Heard:   le.Uint64(b[42:]),
	}
}

// Block encoding. A segment stores each vessel's fixes of its partition
// as one block: a header, then one row per fix, every field a delta or a
// small integer in a varint. Positions and speeds are stored as integers
// of the unit they were transmitted in when that is exact (AIS sends
// 1/10000 minute and 0.1 knot), and as raw IEEE bits otherwise, so the
// encoding is always lossless.
//
//	block  = uvarint(count) modes row*
//	modes  = byte: bits 0-1 latitude mode, 2-3 longitude mode,
//	         bit 4 SOG raw, bit 5 COG raw
//	row    = varint(Δtime) pos(lat) pos(lon) speed(SOG) speed(COG)
//	         varint(heading) status class uvarint(source) uvarint(heard)
//	pos    = varint(Δ(round(v·scale))), scale 600000 (mode 0) or 1e7
//	         (mode 1); 8 raw bytes (mode 2)
//	speed  = uvarint(round(v·10)+1), 0 for NaN; 4 raw bytes when raw
const (
	posAIS     = 0 // 1/600000 degree: every AIS resolution is a multiple
	posDecimal = 1 // 1e-7 degree: decimal archives (CSV) up to 7 digits
	posRaw     = 2
)

var posScale = [2]float64{600000, 1e7}

// posFit returns the first mode, from mode on, that represents v
// exactly.
func posFit(v float64, mode int) int {
	for ; mode < posRaw; mode++ {
		sc := posScale[mode]
		if !(v >= -1000 && v <= 1000) { // also true for NaN
			return posRaw
		}
		if math.RoundToEven(v*sc)/sc == v {
			return mode
		}
	}
	return posRaw
}

// speedFits reports whether v is NaN or an exact tenth in 0..100000.
func speedFits(v float32) bool {
	if v != v {
		return true
	}
	return v >= 0 && v <= 100000 && float32(math.RoundToEven(float64(v)*10))/10 == v
}

// appendBlock appends the encoding of fixes (one vessel's, in time order)
// to b.
func appendBlock(b []byte, fixes []track.Fix) []byte {
	latMode, lonMode := posAIS, posAIS
	sogRaw, cogRaw := false, false
	for i := range fixes {
		f := &fixes[i]
		latMode = posFit(f.Lat, latMode)
		lonMode = posFit(f.Lon, lonMode)
		sogRaw = sogRaw || !speedFits(f.SOG)
		cogRaw = cogRaw || !speedFits(f.COG)
	}
	modes := byte(latMode) | byte(lonMode)<<2
	if sogRaw {
		modes |= 1 << 4
	}
	if cogRaw {
		modes |= 1 << 5
	}
	b = binary.AppendUvarint(b, uint64(len(fixes)))
	b = append(b, modes)
	var prevT, prevLat, prevLon int64
	for i := range fixes {
		f := &fixes[i]
		b = binary.AppendVarint(b, f.Time-prevT)
		prevT = f.Time
		b = appendPos(b, f.Lat, latMode, &prevLat)
		b = appendPos(b, f.Lon, lonMode, &prevLon)
		b = appendSpeed(b, f.SOG, sogRaw)
		b = appendSpeed(b, f.COG, cogRaw)
		b = binary.AppendVarint(b, int64(f.Heading))
		b = append(b, f.Status, byte(f.Class))
		b = binary.AppendUvarint(b, uint64(f.Source))
		b = binary.AppendUvarint(b, f.Heard)
	}
	return b
}

func appendPos(b []byte, v float64, mode int, prev *int64) []byte {
	if mode == posRaw {
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	q := int64(math.RoundToEven(v * posScale[mode]))
	b = binary.AppendVarint(b, q-*prev)
	*prev = q
	return b
}

func appendSpeed(b []byte, v float32, raw bool) []byte {
	if raw {
		return binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	if v != v {
		return append(b, 0)
	}
	return binary.AppendUvarint(b, uint64(math.RoundToEven(float64(v)*10))+1)
}

var errBlock = errors.New("malformed block")

// blockDecoder reads what appendBlock wrote; the first error sticks.
type blockDecoder struct {
	b   []byte
	err error
}

func (d *blockDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errBlock
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *blockDecoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errBlock
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *blockDecoder) bytes(n int) []byte {
	if len(d.b) < n {
		d.err = errBlock
		d.b = nil
		return make([]byte, n)
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *blockDecoder) pos(mode int, prev *int64) float64 {
	if mode == posRaw {
		return math.Float64frombits(binary.LittleEndian.Uint64(d.bytes(8)))
	}
	*prev += d.varint()
	return float64(*prev) / posScale[mode]
}

func (d *blockDecoder) speed(raw bool) float32 {
	if raw {
		return math.Float32frombits(binary.LittleEndian.Uint32(d.bytes(4)))
	}
	q := d.uvarint()
	if q == 0 {
		return float32(math.NaN())
	}
	return float32(q-1) / 10
}

// decodeBlock appends the fixes of block b, all of vessel mmsi, to dst.
func decodeBlock(dst []track.Fix, b []byte, mmsi uint32) ([]track.Fix, error) {
	d := blockDecoder{b: b}
	n := d.uvarint()
	if d.err != nil || n > uint64(len(b)) { // a row takes at least 11 bytes
		return dst, errBlock
	}
	modes := d.bytes(1)[0]
	latMode, lonMode := int(modes&3), int(modes>>2&3)
	if latMode > posRaw || lonMode > posRaw {
		return dst, errBlock
	}
	sogRaw, cogRaw := modes&(1<<4) != 0, modes&(1<<5) != 0
	var t, prevLat, prevLon int64
	for range n {
		t += d.varint()
		f := track.Fix{MMSI: mmsi, Time: t}
		f.Lat = d.pos(latMode, &prevLat)
		f.Lon = d.pos(lonMode, &prevLon)
		f.SOG = d.speed(sogRaw)
		f.COG = d.speed(cogRaw)
		f.Heading = int16(d.varint())
		sc := d.bytes(2)
		f.Status, f.Class = sc[0], track.Class(sc[1])
		f.Source = track.SourceID(d.uvarint())
		f.Heard = d.uvarint()
		if d.err != nil {
			return dst, d.err
		}
		dst = append(dst, f)
	}
	if len(d.b) != 0 {
		return dst, errBlock
	}
	return dst, nil
}
