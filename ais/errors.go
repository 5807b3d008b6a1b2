package ais

// Reason is why a line or a message was rejected. Every error the package
// returns for bad input is a Reason or wraps one, so callers count rejects
// with errors.As and branch with errors.Is. Reasons are comparable values:
// returning one allocates nothing.
type Reason uint8

// The reasons, in the order a line meets them.
const (
	_                Reason = iota
	ErrEmpty                // blank line
	ErrNUL                  // NUL byte in the line
	ErrNotASCII             // byte outside printable ASCII
	ErrLineTooLong          // sentence longer than MaxSentence characters
	ErrNotAIS               // not a VDM/VDO sentence (other NMEA, junk, comment)
	ErrTagBlock             // malformed IEC 62320-1 tag block
	ErrTagChecksum          // tag block checksum does not match
	ErrNoChecksum           // sentence has no *hh checksum
	ErrChecksum             // sentence checksum does not match
	ErrFieldCount           // wrong number of sentence fields
	ErrFragment             // fragment count or number out of range
	ErrChannel              // channel field is not A, B, 1, 2 or empty
	ErrFillBits             // fill bits not 0 to 5, or not 0 on a non-final fragment
	ErrPayloadChar          // payload character outside the armour set
	ErrTooLong              // assembled payload longer than MaxBits
	ErrStrayFragment        // fragment with no start, or out of order
	ErrExpired              // multi-sentence message never completed
	ErrDuplicate            // same sentence already seen
	ErrEmptyPayload         // message with no payload bits
	ErrUnknownType          // message type 0 or above 27
	ErrLength               // payload length invalid for the message type
	ErrSubtype              // undefined message variant (e.g. type 24 part 2 or 3)
	ErrEncode               // message cannot be encoded: text outside the set, too long
	numReasons
)

var reasonText = [numReasons]string{
	ErrEmpty:         "empty line",
	ErrNUL:           "NUL byte",
	ErrNotASCII:      "non-ASCII byte",
	ErrLineTooLong:   "sentence over 82 characters",
	ErrNotAIS:        "not an AIS sentence",
	ErrTagBlock:      "malformed tag block",
	ErrTagChecksum:   "tag block checksum mismatch",
	ErrNoChecksum:    "missing checksum",
	ErrChecksum:      "checksum mismatch",
	ErrFieldCount:    "wrong field count",
	ErrFragment:      "bad fragment count or number",
	ErrChannel:       "bad channel",
	ErrFillBits:      "bad fill bits",
	ErrPayloadChar:   "bad payload character",
	ErrTooLong:       "payload too long",
	ErrStrayFragment: "stray fragment",
	ErrExpired:       "incomplete multipart",
	ErrDuplicate:     "duplicate",
	ErrEmptyPayload:  "empty payload",
	ErrUnknownType:   "unknown message type",
	ErrLength:        "bad payload length for type",
	ErrSubtype:       "bad message subtype",
	ErrEncode:        "cannot encode",
}

var reasonKeys = [numReasons]string{
	ErrEmpty:         "empty",
	ErrNUL:           "nul",
	ErrNotASCII:      "not_ascii",
	ErrLineTooLong:   "too_long_line",
	ErrNotAIS:        "not_ais",
	ErrTagBlock:      "tag_block",
	ErrTagChecksum:   "tag_checksum",
	ErrNoChecksum:    "no_checksum",
	ErrChecksum:      "checksum",
	ErrFieldCount:    "field_count",
	ErrFragment:      "fragment",
	ErrChannel:       "channel",
	ErrFillBits:      "fill_bits",
	ErrPayloadChar:   "payload_char",
	ErrTooLong:       "too_long_payload",
	ErrStrayFragment: "stray_fragment",
	ErrExpired:       "expired",
	ErrDuplicate:     "duplicate",
	ErrEmptyPayload:  "empty_payload",
	ErrUnknownType:   "unknown_type",
	ErrLength:        "length",
	ErrSubtype:       "subtype",
	ErrEncode:        "encode",
}

// Error returns a short lower-case description.
func (r Reason) Error() string {
	if r == 0 || r >= numReasons {
		return "unknown reason"
	}
	return reasonText[r]
}

// Key returns a stable snake_case name for metrics and summaries.
func (r Reason) Key() string {
	if r == 0 || r >= numReasons {
		return "unknown"
	}
	return reasonKeys[r]
}

// Reasons returns every reason, in order.
func Reasons() []Reason {
	rs := make([]Reason, 0, numReasons-1)
	for r := Reason(1); r < numReasons; r++ {
		rs = append(rs, r)
	}
	return rs
}
