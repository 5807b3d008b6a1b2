// Package candidates measures the fixes engines that the embedded store
// was chosen against (see ../DESIGN.md). It is a module of its own so that
// their dependencies stay out of straitwatch's go.mod. Run from this
// folder, pure Go like the product:
//
//	CGO_ENABLED=0 go test -run '^$' -bench . -benchtime 2000x
package candidates
