package ais

import (
	"bytes"
	"encoding/binary"
	"time"
)

// lows has the low bit of every byte set.
const lows = 0x0101010101010101

// MaxSentence is the longest sentence IEC 61162-1 allows, in characters
// from the leading '!' to the checksum (82 with the line terminator it does
// not count here; tag blocks and prefixes are not counted). ParseSentence
// does not enforce it, since some receivers send longer sentences; Reader
// rejects longer ones unless configured otherwise.
const MaxSentence = 82

// Sentence is one parsed VDM or VDO sentence. Its byte slices alias the
// line it was parsed from: copy them to keep them past the line's life.
type Sentence struct {
	Prefix  []byte   // bytes before the tag block or sentence, such as a receive timestamp; nil when none
	Tag     TagBlock // IEC 62320-1 tag block; Tag.Raw is nil when there is none
	Talker  [2]byte  // talker id: "AI", "AB", "BS", ...
	Own     bool     // VDO: the receiving station's own reports
	Total   int      // fragments in the message, 1 to 9
	Num     int      // this fragment's number, 1 to Total
	Seq     int      // sequential message id 0 to 9, or -1 when empty
	Channel byte     // 'A', 'B', '1', '2', or 0 when empty
	Payload []byte   // armoured payload
	Fill    int      // fill bits added to complete the last character, 0 to 5
	Raw     []byte   // the sentence from '!' to the checksum digits
	Trailer []byte   // bytes after the checksum (receiver metadata); nil when none
}

// TagBlock is an IEC 62320-1 tag block: \c:...,s:...*hh\ before a sentence.
// Fields that are absent are zero.
type TagBlock struct {
	Raw      []byte    // between the backslashes, checksum included
	Time     time.Time // c: UNIX time, in seconds, or milliseconds when above 10^11
	Source   []byte    // s: source station
	Dest     []byte    // d: destination
	Text     []byte    // t: free text
	Line     int       // n: line count
	Relative int64     // r: relative time
	Group    Group     // g: sentence grouping
}

// Group is a tag-block g: field: sentence Num of Total in group ID.
type Group struct {
	Num, Total, ID int
}

// ParseSentence parses line, which holds one sentence with an optional tag
// block before it and optional prefix and trailer bytes around them, into
// s. It allocates nothing. On error it returns a Reason.
func ParseSentence(line []byte, s *Sentence) error {
	*s = Sentence{Seq: -1}
	line = trimEOL(line)
	if len(line) == 0 {
		return ErrEmpty
	}
	// The start is the first tag block or sentence delimiter.
	start := -1
	for i, c := range line {
		if c == '\\' || c == '!' || c == '$' {
			start = i
			break
		}
		if c == 0 {
			return ErrNUL
		}
	}
	if start < 0 {
		return ErrNotAIS
	}
	if start > 0 {
		s.Prefix = line[:start]
	}
	rest := line[start:]
	if rest[0] == '\\' {
		end := bytes.IndexByte(rest[1:], '\\')
		if end < 0 {
			return ErrTagBlock
		}
		if err := parseTagBlock(rest[1:1+end], &s.Tag); err != nil {
			return err
		}
		rest = rest[end+2:]
		if len(rest) == 0 || (rest[0] != '!' && rest[0] != '$') {
			return ErrNotAIS
		}
	}
	return parseVDM(rest, s)
}

func trimEOL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// parseVDM parses b, which starts at '!' or '$'.
func parseVDM(b []byte, s *Sentence) error {
	// Checksum: XOR of the bytes between the delimiter and '*', eight at a
	// time, checking on the way that each is printable ASCII.
	star := bytes.IndexByte(b, '*')
	body := b[1:]
	if star >= 0 {
		body = b[1:star]
	}
	var x, bad uint64
	for len(body) >= 8 {
		w := binary.LittleEndian.Uint64(body)
		x ^= w
		bad |= (w - lows*0x20) | (w + lows) | w // high bit set: below ' ', above '~' or non-ASCII
		body = body[8:]
	}
	for _, c := range body {
		w := uint64(c)
		x ^= w
		bad |= (w - 0x20) | (w + 1) | w
	}
	if bad&(lows*0x80) != 0 {
		for _, c := range b[1:] {
			if c == 0 {
				return ErrNUL
			}
		}
		return ErrNotASCII
	}
	x ^= x >> 32
	x ^= x >> 16
	x ^= x >> 8
	sum := byte(x)
	if len(b) < 6 || b[3] != 'V' || b[4] != 'D' || (b[5] != 'M' && b[5] != 'O') {
		return ErrNotAIS
	}
	if star < 0 || star+3 > len(b) {
		return ErrNoChecksum
	}
	hi, lo := unhex(b[star+1]), unhex(b[star+2])
	if hi > 15 || lo > 15 {
		return ErrNoChecksum
	}
	end := star + 3
	if hi<<4|lo != sum {
		return ErrChecksum
	}
	if end < len(b) {
		t := b[end:]
		for _, c := range t {
			if c == 0 {
				return ErrNUL
			}
		}
		s.Trailer = t
	}
	s.Raw = b[:end]
	s.Talker = [2]byte{b[1], b[2]}
	s.Own = b[5] == 'O'

	// Fields after the address: total, num, seq, channel, payload, fill.
	var f [6][]byte
	nf := 0
	p := 7
	if len(b) <= 6 || b[6] != ',' {
		return ErrFieldCount
	}
	for {
		i := bytes.IndexByte(b[p:star], ',')
		if i < 0 {
			f[nf] = b[p:star]
			nf++
			break
		}
		f[nf] = b[p : p+i]
		nf++
		p += i + 1
		if nf == len(f) {
			return ErrFieldCount
		}
	}
	if nf != len(f) {
		return ErrFieldCount
	}
	if len(f[0]) != 1 || len(f[1]) != 1 || f[0][0] < '1' || f[0][0] > '9' || f[1][0] < '1' || f[1][0] > f[0][0] {
		return ErrFragment
	}
	s.Total, s.Num = int(f[0][0]-'0'), int(f[1][0]-'0')
	switch len(f[2]) {
	case 0:
	case 1:
		if f[2][0] < '0' || f[2][0] > '9' {
			return ErrFragment
		}
		s.Seq = int(f[2][0] - '0')
	default:
		return ErrFragment
	}
	switch len(f[3]) {
	case 0:
	case 1:
		switch c := f[3][0]; c {
		case 'A', 'B', '1', '2':
			s.Channel = c
		default:
			return ErrChannel
		}
	default:
		return ErrChannel
	}
	s.Payload = f[4]
	switch len(f[5]) {
	case 0:
	case 1:
		if f[5][0] < '0' || f[5][0] > '5' {
			return ErrFillBits
		}
		s.Fill = int(f[5][0] - '0')
	default:
		return ErrFillBits
	}
	if s.Fill != 0 && (s.Num != s.Total || len(s.Payload) == 0) {
		return ErrFillBits
	}
	return nil
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return 0xFF
}

// parseTagBlock parses the text between a tag block's backslashes.
func parseTagBlock(b []byte, t *TagBlock) error {
	t.Raw = b
	star := bytes.IndexByte(b, '*')
	if star < 0 || star+3 != len(b) {
		return ErrTagBlock
	}
	var sum byte
	for _, c := range b[:star] {
		if c < ' ' || c > '~' {
			if c == 0 {
				return ErrNUL
			}
			return ErrTagBlock
		}
		sum ^= c
	}
	hi, lo := unhex(b[star+1]), unhex(b[star+2])
	if hi > 15 || lo > 15 {
		return ErrTagBlock
	}
	if hi<<4|lo != sum {
		return ErrTagChecksum
	}
	for f := range bytes.SplitSeq(b[:star], []byte{','}) {
		if len(f) < 2 || f[1] != ':' {
			return ErrTagBlock
		}
		v := f[2:]
		switch f[0] {
		case 'c':
			n, ok := atoi(v)
			if !ok {
				return ErrTagBlock
			}
			if n > 1e11 {
				t.Time = time.UnixMilli(n).UTC()
			} else {
				t.Time = time.Unix(n, 0).UTC()
			}
		case 's':
			t.Source = v
		case 'd':
			t.Dest = v
		case 't':
			t.Text = v
		case 'n':
			n, ok := atoi(v)
			if !ok {
				return ErrTagBlock
			}
			t.Line = int(n)
		case 'r':
			n, ok := atoi(v)
			if !ok {
				return ErrTagBlock
			}
			t.Relative = n
		case 'g':
			g, ok := parseGroup(v)
			if !ok {
				return ErrTagBlock
			}
			t.Group = g
		}
		// Other fields (q:, T:, ...) are vendor extensions kept in Raw.
	}
	return nil
}

// parseGroup parses "num-total-id".
func parseGroup(v []byte) (Group, bool) {
	var n [3]int64
	for i := range n {
		j := bytes.IndexByte(v, '-')
		if i == 2 {
			j = len(v)
		}
		if j < 0 {
			return Group{}, false
		}
		x, ok := atoi(v[:j])
		if !ok {
			return Group{}, false
		}
		n[i] = x
		if i < 2 {
			v = v[j+1:]
		}
	}
	g := Group{Num: int(n[0]), Total: int(n[1]), ID: int(n[2])}
	if g.Total < 1 || g.Num < 1 || g.Num > g.Total {
		return Group{}, false
	}
	return g, true
}

// atoi parses a non-negative decimal of up to 18 digits.
func atoi(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// AppendSentence appends one sentence, with its checksum, to dst:
// !<talker>VDM,total,num,seq,channel,payload,fill*hh. seq < 0 and
// channel 0 leave those fields empty. own selects VDO.
func AppendSentence(dst []byte, talker string, own bool, total, num, seq int, channel byte, payload []byte, fill int) []byte {
	start := len(dst)
	dst = append(dst, '!')
	dst = append(dst, talker...)
	if own {
		dst = append(dst, "VDO,"...)
	} else {
		dst = append(dst, "VDM,"...)
	}
	dst = append(dst, byte('0'+total), ',', byte('0'+num), ',')
	if seq >= 0 {
		dst = append(dst, byte('0'+seq))
	}
	dst = append(dst, ',')
	if channel != 0 {
		dst = append(dst, channel)
	}
	dst = append(dst, ',')
	dst = append(dst, payload...)
	dst = append(dst, ',', byte('0'+fill))
	return appendChecksum(dst, dst[start+1:])
}

// appendChecksum appends '*' and the XOR checksum of body.
func appendChecksum(dst, body []byte) []byte {
	var sum byte
	for _, c := range body {
		sum ^= c
	}
	const hex = "0123456789ABCDEF"
	return append(dst, '*', hex[sum>>4], hex[sum&15])
}
