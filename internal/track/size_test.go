package track

import (
	"testing"
	"unsafe"
)

const (
	sizeofVessel    = unsafe.Sizeof(vessel{})
	sizeofStaticRec = unsafe.Sizeof(staticRec{})
)

// TestVesselSize keeps the hot per-vessel record compact: queries scan it.
func TestVesselSize(t *testing.T) {
	if sizeofVessel > 80 {
		t.Errorf("vessel is %d bytes, want at most 80", sizeofVessel)
	}
}
