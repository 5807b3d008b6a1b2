//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package store

import (
	"os"
	"path/filepath"
)

// lockDir opens dir/LOCK; on this platform it does not keep a second
// process out.
func lockDir(dir string) (*os.File, error) {
	return os.OpenFile(filepath.Join(dir, "LOCK"), os.O_RDWR|os.O_CREATE, 0o644)
}

func unlockDir(f *os.File) error {
	if f == nil {
		return nil
	}
	return f.Close()
}
