package ais

import "time"

var zeroTime time.Time
