package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// manifest is the MANIFEST file: the live segments and the oldest
// write-ahead log whose fixes are not all in them. It is replaced
// atomically (write a temporary file, fsync, rename, fsync the
// directory), so a crash leaves the old or the new one, never a mix; files
// it does not name are leftovers of an interrupted flush or compaction and
// are removed on Open.
type manifest struct {
	Version  int       `json:"version"`
	MinWAL   uint64    `json:"minWAL"`
	Segments []segMeta `json:"segments"`
}

const manifestName = "MANIFEST"

func readManifest(dir string) (manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return manifest{Version: 1}, nil
	}
	if err != nil {
		return manifest{}, fmt.Errorf("%s: %w", manifestName, err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return manifest{}, &CorruptError{File: manifestName, Offset: -1, Reason: err.Error()}
	}
	if m.Version != 1 {
		return manifest{}, &CorruptError{File: manifestName, Offset: -1, Reason: "unknown version " + strconv.Itoa(m.Version)}
	}
	for _, s := range m.Segments {
		if _, _, ok := parseSegName(s.File); !ok || s.End <= s.Start {
			return manifest{}, &CorruptError{File: manifestName, Offset: -1, Reason: "bad segment " + strconv.Quote(s.File)}
		}
	}
	return m, nil
}

func writeManifest(dir string, m manifest) error {
	b, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		return fmt.Errorf("%s: %w", manifestName, err)
	}
	tmp := filepath.Join(dir, manifestName+".tmp")
	if err := writeFileSync(tmp, append(b, '\n')); err != nil {
		return fmt.Errorf("%s: %w", manifestName, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, manifestName)); err != nil {
		return fmt.Errorf("%s: %w", manifestName, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("%s: %w", manifestName, err)
	}
	return nil
}

func writeFileSync(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir fsyncs a directory, making its entries (new, renamed and
// removed files) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// File names.
func walName(seq uint64) string { return fmt.Sprintf("wal-%08d.log", seq) }

func segName(start int64, seq uint64) string { return fmt.Sprintf("fix-%d-%08d.seg", start, seq) }

func parseWALName(name string) (uint64, bool) {
	s, ok := strings.CutPrefix(name, "wal-")
	if !ok {
		return 0, false
	}
	s, ok = strings.CutSuffix(s, ".log")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

func parseSegName(name string) (start int64, seq uint64, ok bool) {
	s, ok := strings.CutPrefix(name, "fix-")
	if !ok {
		return 0, 0, false
	}
	s, ok = strings.CutSuffix(s, ".seg")
	if !ok {
		return 0, 0, false
	}
	i := strings.LastIndexByte(s, '-')
	if i <= 0 {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return 0, 0, false
	}
	seq, err = strconv.ParseUint(s[i+1:], 10, 64)
	return start, seq, err == nil
}
