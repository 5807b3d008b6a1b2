package detect

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"straitwatch/internal/track"
)

func TestFlagChange(t *testing.T) {
	imo := func(mmsi uint32, at int64, n uint32) track.Static {
		return track.Static{MMSI: mmsi, Time: t0 + at, Has: track.HasIMO, IMO: n}
	}
	tests := []struct {
		name    string
		statics []track.Static
		want    [][]uint32 // vessels of each flag_change event
	}{
		{"Iranian IMO reappears under Panama", []track.Static{imo(422000001, 0, 9100001), imo(352000002, hr, 9100001)}, [][]uint32{{352000002, 422000001}}},
		{"same flag, other MMSI: no flag change", []track.Static{imo(422000001, 0, 9100001), imo(422000003, hr, 9100001)}, nil},
		{"same MMSI again", []track.Static{imo(422000001, 0, 9100001), imo(422000001, hr, 9100001)}, nil},
		{"different IMO numbers", []track.Static{imo(422000001, 0, 9100001), imo(352000002, hr, 9100002)}, nil},
		{"no IMO", []track.Static{{MMSI: 422000001, Time: t0}, {MMSI: 352000002, Time: t0 + hr}}, nil},
		{"a coast station is not a ship", []track.Static{imo(422000001, 0, 9100001), imo(4220001, hr, 9100001)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := only(t, "strait", "identity")
			eng, err := NewEngine(cfg, nil, 2)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- eng.Run(ctx) }()
			defer func() { cancel(); <-done }()
			var got [][]uint32
			for _, st := range tt.statics {
				f := fix(st.MMSI, st.Time-t0+sec, 26, 56, 10)
				evs, err := eng.Process(ctx, &Input{Statics: []track.Static{st}, Fixes: []track.Fix{f}})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range evs {
					if e.Evidence.Rule == IdentityFlagChange {
						checkEvent(t, e)
						got = append(got, e.Vessels)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("flag changes (-want +got):\n%s", diff)
			}
		})
	}
}
