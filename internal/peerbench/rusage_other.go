//go:build !unix

package peerbench

import "os"

// maxRSS reports 0: peak memory is not available on this platform.
func maxRSS(*os.ProcessState) int64 { return 0 }
