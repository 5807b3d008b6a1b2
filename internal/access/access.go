// Package access is the caller's view of straitwatch: who is asking
// (organisation and role), how a request gets that view, and the one query
// layer through which every read of vessels, tracks, sources and the live
// feed passes with it.
//
// The choke point (DESIGN.md, principle 5) is Query: handlers hold a
// *Query and never the tracker, store or ingest sources themselves, and
// every Query method takes a View. Query asks a Policy about each action
// and about each record it returns, so sharing agreements plug in by
// supplying another Policy, and token authentication by supplying another
// Authenticator. Today a single built-in organisation and role is given to
// every caller (Fixed with Builtin) and the policy allows everything
// (AllowAll).
package access

import (
	"errors"
	"fmt"
	"net/http"
)

// Errors returned by Query, Policy and Authenticator implementations.
// Callers test them with errors.Is.
var (
	// ErrUnauthenticated means the request carries no acceptable
	// credentials.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden means the view may not perform the action.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound means the record does not exist or is not visible to
	// the view; the two are deliberately indistinguishable.
	ErrNotFound = errors.New("not found")
	// ErrUnavailable means a backend cannot serve the request now (for
	// example the live feed is shutting down or full).
	ErrUnavailable = errors.New("unavailable")
)

// Role is what a caller may do within its organisation.
type Role string

// Roles. The set grows with the features that need it; Valid rejects
// anything else, so a misconfigured role fails closed.
const (
	// RoleViewer sees the live picture and vessel details.
	RoleViewer Role = "viewer"
	// RoleAnalyst additionally works with history and exports.
	RoleAnalyst Role = "analyst"
	// RoleAdmin additionally administers its organisation's sources,
	// users and sharing agreements.
	RoleAdmin Role = "admin"
)

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool {
	switch r {
	case RoleViewer, RoleAnalyst, RoleAdmin:
		return true
	}
	return false
}

// BuiltinOrg is the name of the single organisation that every caller
// belongs to until organisations and tokens are configured.
const BuiltinOrg = "builtin"

// View is the caller's view: the organisation it acts for and its role
// there. Every read passes through Query with a View.
type View struct {
	Org  string // the organisation the caller acts for
	Role Role   // the caller's role in Org
}

// Builtin returns the view every caller has today: the built-in
// organisation with the administrator role.
func Builtin() View {
	return View{Org: BuiltinOrg, Role: RoleAdmin}
}

// Validate reports whether v names an organisation and a valid role. A
// zero View is invalid, so a request that somehow skipped authentication
// is refused rather than served.
func (v View) Validate() error {
	if v.Org == "" {
		return fmt.Errorf("view has no organisation: %w", ErrForbidden)
	}
	if !v.Role.Valid() {
		return fmt.Errorf("view has unknown role %q: %w", v.Role, ErrForbidden)
	}
	return nil
}

// Authenticator gives a request its View. It is the single point where
// token authentication plugs in: an implementation reads the request's
// credentials (an Authorization header, a session cookie) and returns the
// view of the user they belong to, or an error wrapping ErrUnauthenticated.
// Implementations are safe for concurrent use and do not read the body.
type Authenticator interface {
	Authenticate(r *http.Request) (View, error)
}

// Fixed is an Authenticator that gives every request the same view. With
// Builtin it is today's configuration.
type Fixed struct {
	View View // the view every request gets
}

// Authenticate returns f.View, or ErrUnauthenticated when that view is
// not valid.
func (f Fixed) Authenticate(*http.Request) (View, error) {
	if err := f.View.Validate(); err != nil {
		return View{}, fmt.Errorf("fixed view: %w", ErrUnauthenticated)
	}
	return f.View, nil
}
