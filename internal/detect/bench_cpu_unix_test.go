//go:build unix

package detect

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user and system) this process has used:
// on a shared machine it is a steadier measure than wall time, which
// counts the time other processes hold the cores.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
