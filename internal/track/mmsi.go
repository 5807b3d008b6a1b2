package track

import (
	_ "embed"
	"encoding/csv"
	"strconv"
	"strings"
)

// KindOf classifies an MMSI by its digits, as ITU-R M.585-9 assigns them.
// It looks only at the pattern: a ship MMSI whose MID is not allocated is
// still KindShip (FlagOf then reports ok == false).
func KindOf(mmsi uint32) Kind {
	k, _ := classify(mmsi)
	return k
}

// FlagOf returns the ISO 3166 alpha-2 code and the ITU's name of the
// country or geographical area whose Maritime Identification Digits the
// MMSI carries, wherever its kind puts them (MIDxxxxxx, 0MIDxxxxx,
// 00MIDxxxx, 111MIDxxx, 98MIDxxxx, 99MIDxxxx, 8MIDxxxxx). ok is false
// for kinds without a MID (AIS-SART, MOB, EPIRB-AIS), invalid MMSIs and
// MIDs the ITU has not allocated.
func FlagOf(mmsi uint32) (iso2 string, country string, ok bool) {
	_, mid := classify(mmsi)
	if mid == 0 {
		return "", "", false
	}
	e := &midTable[mid]
	if e.iso2 == "" {
		return "", "", false
	}
	return e.iso2, e.country, true
}

// classify returns the MMSI's kind and its MID, or 0 when it has none.
func classify(mmsi uint32) (Kind, uint32) {
	if mmsi > 999_999_999 {
		return KindInvalid, 0
	}
	// d[0] is the first of the nine digits (leading zeros count).
	var d [9]uint32
	for i, v := 8, mmsi; i >= 0; i-- {
		d[i] = v % 10
		v /= 10
	}
	mid := func(i int) uint32 { return d[i]*100 + d[i+1]*10 + d[i+2] }
	regional := func(i int) bool { return d[i] >= 2 && d[i] <= 7 } // MIDs start with 2-7
	switch d[0] {
	case 2, 3, 4, 5, 6, 7:
		return KindShip, mid(0)
	case 0:
		switch {
		case d[1] == 0 && regional(2):
			return KindCoast, mid(2)
		case regional(1):
			return KindGroup, mid(1)
		}
	case 1:
		if d[1] == 1 && d[2] == 1 && regional(3) {
			return KindSARAircraft, mid(3)
		}
	case 8:
		if regional(1) {
			return KindDiver, mid(1)
		}
	case 9:
		switch {
		case d[1] == 7 && d[2] == 0:
			return KindSART, 0
		case d[1] == 7 && d[2] == 2:
			return KindMOB, 0
		case d[1] == 7 && d[2] == 4:
			return KindEPIRB, 0
		case d[1] == 8 && regional(2):
			return KindAuxiliary, mid(2)
		case d[1] == 9 && regional(2):
			return KindAtoN, mid(2)
		}
	}
	return KindInvalid, 0
}

// midCSV is the ITU table of Maritime Identification Digits: one row per
// MID and area, "mid,iso2,country", with a header. See README.md for its
// source and licence.
//
//go:embed mid.csv
var midCSV string

// midEntry is one MID's row of the table.
type midEntry struct {
	iso2    string
	country string
}

// midTable is midCSV indexed by MID, built once from the embedded file and
// read-only after. Where the ITU allocates one MID to several areas, the
// first row wins.
var midTable = parseMIDs(midCSV)

// parseMIDs builds the MID index. Rows that do not parse are skipped; the
// tests hold the embedded file to its row count.
func parseMIDs(text string) *[1000]midEntry {
	var t [1000]midEntry
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = 3
	records, err := r.ReadAll()
	if err != nil {
		return &t
	}
	for _, rec := range records {
		mid, err := strconv.Atoi(rec[0])
		if err != nil || mid < 200 || mid > 799 || len(rec[1]) != 2 {
			continue // the header, or a bad row
		}
		if t[mid].iso2 == "" {
			t[mid] = midEntry{iso2: rec[1], country: rec[2]}
		}
	}
	return &t
}
