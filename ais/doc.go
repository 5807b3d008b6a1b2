// Package ais decodes and encodes AIS (Automatic Identification System)
// messages carried in NMEA 0183 sentences, as ITU-R M.1371-5 and
// IEC 61162-1 / IEC 62320-1 define them.
//
// It is a library of its own: it has no dependency on the rest of
// straitwatch. The layers are
//
//   - [ParseSentence]: one !AIVDM/!AIVDO (any talker) sentence with its
//     optional IEC 62320-1 tag block, checksums, field count, fill bits;
//   - [Assembler]: multi-sentence messages, keyed by source, channel,
//     sequence id and tag-block group, with a time and size bound;
//   - [Bits.Unarmor] and [Decode]: 6-bit de-armouring and the typed
//     messages of all 27 types, including binary application payloads;
//   - [Encode], [Bits.Armor] and [AppendSentences]: the reverse, back to
//     sentences split as needed, with tag blocks;
//   - [Reader]: all of the above over a stream of lines, with counters of
//     every rejection by [Reason];
//   - [AppendJSON]: gpsd's JSON, byte for byte what gpsdecode prints.
//
// Values that the standard reserves for "not available" (latitude 91,
// longitude 181, speed 102.3 kn, course 360, heading 511, ...) are kept as
// transmitted in the message structs, so that encoding reproduces the
// payload bits, and are exposed as absence by the accessors that convert
// them to physical units: [PositionReport.Position] returns ok == false for
// latitude 91, [Speed.Knots] for 102.3 and so on.
//
// The hot path allocates nothing: a [Decoder] owns one value of every
// message type and decodes into it, so a caller that reads position
// reports and does not keep the messages runs without garbage.
package ais
