package ais

import (
	"strconv"
	"time"
)

// Framing says how AppendSentences frames a message into NMEA sentences.
// The zero value gives !AIVDM sentences on channel A with no tag block.
type Framing struct {
	Talker  string // talker id; the default is "AI"
	Own     bool   // VDO: the station's own reports
	Channel byte   // 'A', 'B', or 0 for empty; the default is 'A'
	Seq     int    // sequential message id 0-9 for multi-sentence messages
	// MaxPayload is the most payload characters per sentence. The default
	// value, 60, keeps sentences within the standard's 82 characters.
	MaxPayload int

	// Tag block fields; a tag block is written when any is set.
	Time    time.Time // c: UNIX seconds
	Source  string    // s: source station
	GroupID int       // g: group id, 1-99999, used on multi-sentence messages
}

// AppendSentences encodes m and appends its sentences to dst, each ending
// in "\r\n": as many as the payload needs, with fill bits on the last.
func AppendSentences(dst []byte, m Message, f Framing) ([]byte, error) {
	var b Bits
	if err := Encode(m, &b); err != nil {
		return dst, err
	}
	return b.AppendSentences(dst, f)
}

// AppendSentences frames b's bits as sentences; see the package-level
// AppendSentences.
func (b *Bits) AppendSentences(dst []byte, f Framing) ([]byte, error) {
	if f.Talker == "" {
		f.Talker = "AI"
	}
	if len(f.Talker) != 2 {
		return dst, ErrEncode
	}
	if f.Channel == 0 {
		f.Channel = 'A'
	}
	maxp := f.MaxPayload
	if maxp <= 0 {
		maxp = 60
	}
	var arm [MaxBits/6 + 1]byte
	payload, fill := b.Armor(arm[:0])
	total := max(1, (len(payload)+maxp-1)/maxp)
	if total > 9 {
		return dst, ErrTooLong
	}
	seq := -1
	if total > 1 {
		seq = f.Seq % 10
	}
	for i := range total {
		part := payload[i*maxp : min(len(payload), (i+1)*maxp)]
		partFill := 0
		if i == total-1 {
			partFill = fill
		}
		dst = f.appendTagBlock(dst, i+1, total)
		dst = AppendSentence(dst, f.Talker, f.Own, total, i+1, seq, f.Channel, part, partFill)
		dst = append(dst, '\r', '\n')
	}
	return dst, nil
}

// appendTagBlock writes the tag block of sentence num of total, if any.
func (f *Framing) appendTagBlock(dst []byte, num, total int) []byte {
	group := f.GroupID > 0 && total > 1
	if f.Time.IsZero() && f.Source == "" && !group {
		return dst
	}
	dst = append(dst, '\\')
	start := len(dst)
	sep := false
	field := func(key byte) {
		if sep {
			dst = append(dst, ',')
		}
		dst = append(dst, key, ':')
		sep = true
	}
	if group {
		field('g')
		dst = strconv.AppendInt(dst, int64(num), 10)
		dst = append(dst, '-')
		dst = strconv.AppendInt(dst, int64(total), 10)
		dst = append(dst, '-')
		dst = strconv.AppendInt(dst, int64(f.GroupID), 10)
	}
	if f.Source != "" {
		field('s')
		dst = append(dst, f.Source...)
	}
	if !f.Time.IsZero() {
		field('c')
		dst = strconv.AppendInt(dst, f.Time.Unix(), 10)
	}
	dst = appendChecksum(dst, dst[start:])
	return append(dst, '\\')
}
