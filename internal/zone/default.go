package zone

import (
	_ "embed"
	"fmt"
)

//go:embed regions/hormuz.geojson
var hormuzGeoJSON []byte

//go:embed regions/wpi-gulf-ports.geojson
var wpiGulfPortsGeoJSON []byte

//go:embed regions/territorial-seas.geojson
var territorialSeasGeoJSON []byte

// Default returns the embedded default region: the Strait of Hormuz, the
// Gulf of Oman and the Gulf, from regions/hormuz.geojson (a copy of
// shared/geodata/region-hormuz.geojson), regions/wpi-gulf-ports.geojson
// (the World Port Index ports of the area that the first file lacks) and
// regions/territorial-seas.geojson (approximate 12 nm territorial seas
// built from the Natural Earth coastline by regions/gen). Every feature
// keeps its source. Each call returns a new Set.
func Default() (*Set, error) {
	s, err := merge(hormuzGeoJSON, wpiGulfPortsGeoJSON, territorialSeasGeoJSON)
	if err != nil {
		return nil, fmt.Errorf("default region: %w", err)
	}
	s.Name = "hormuz"
	return s, nil
}
