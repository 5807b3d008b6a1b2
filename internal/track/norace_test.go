//go:build !race

package track

// raceEnabled is true when the tests run under the race detector, which
// slows them and changes how memory is allocated.
const raceEnabled = false
