package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"unicode/utf8"

	"straitwatch/internal/access"
)

// Code is a stable, machine-readable error code. Every error response
// carries one, in the body {"error":{"code":"bad_bbox","message":"..."}},
// so that clients can branch on it; the message is for people and may
// change. Codes are never reused or renamed; Codes lists them all and the
// OpenAPI document repeats the list.
type Code string

// The error catalogue.
const (
	// CodeBadBBox: bbox is not minLon,minLat,maxLon,maxLat inside
	// -180..180 and -90..90 with each minimum not above its maximum.
	CodeBadBBox Code = "bad_bbox"
	// CodeBadMMSI: the MMSI is not a number from 1 to 999999999.
	CodeBadMMSI Code = "bad_mmsi"
	// CodeBadTime: from or to is neither RFC 3339 nor UNIX milliseconds
	// from 1970 to 9999.
	CodeBadTime Code = "bad_time"
	// CodeBadTimeRange: from is not before to, or the range is longer
	// than the server allows.
	CodeBadTimeRange Code = "bad_time_range"
	// CodeBadLimit: limit is not an integer within the documented range.
	CodeBadLimit Code = "bad_limit"
	// CodeBadSpeed: min_speed or max_speed is not a finite number of
	// knots within range, or min_speed is above max_speed.
	CodeBadSpeed Code = "bad_speed"
	// CodeBadType: type is not a list of AIS ship types (0-255), ranges
	// of them or category names.
	CodeBadType Code = "bad_type"
	// CodeBadFlag: flag is not a list of ISO 3166 alpha-2 codes.
	CodeBadFlag Code = "bad_flag"
	// CodeBadSearch: q is too long or contains control characters.
	CodeBadSearch Code = "bad_search"
	// CodeBadParameter: the query string cannot be parsed, or a parameter
	// is given more than once.
	CodeBadParameter Code = "bad_parameter"
	// CodeUnknownParameter: the query string has a parameter the endpoint
	// does not take.
	CodeUnknownParameter Code = "unknown_parameter"
	// CodeUnauthenticated: the request carries no acceptable credentials.
	CodeUnauthenticated Code = "unauthenticated"
	// CodeForbidden: the caller's view may not perform the request.
	CodeForbidden Code = "forbidden"
	// CodeNotFound: no route has this path.
	CodeNotFound Code = "not_found"
	// CodeVesselNotFound: no vessel with this MMSI is visible.
	CodeVesselNotFound Code = "vessel_not_found"
	// CodeMethodNotAllowed: the route exists but not with this method.
	CodeMethodNotAllowed Code = "method_not_allowed"
	// CodeRequestTooLarge: the request body is larger than the server
	// accepts.
	CodeRequestTooLarge Code = "request_too_large"
	// CodeQueryTooLong: the query string is longer than the server
	// accepts.
	CodeQueryTooLong Code = "query_too_long"
	// CodeStreamUnsupported: the connection cannot carry a live stream.
	CodeStreamUnsupported Code = "stream_unsupported"
	// CodeInternal: the server failed; the details are in its log.
	CodeInternal Code = "internal"
	// CodeTimeout: the request took longer than the server allows.
	CodeTimeout Code = "timeout"
	// CodeUnavailable: the server cannot serve the request now (starting,
	// shutting down, or at its limit of live streams); retry later.
	CodeUnavailable Code = "unavailable"
	// CodeBadEventType: type is not a list of event types.
	CodeBadEventType Code = "bad_event_type"
	// CodeEventNotFound: no event with this ID is visible.
	CodeEventNotFound Code = "event_not_found"
	// CodeBadBody: the request body is not the JSON object the endpoint
	// takes.
	CodeBadBody Code = "bad_body"
)

// Codes returns every error code in the catalogue.
func Codes() []Code {
	return []Code{
		CodeBadBBox, CodeBadMMSI, CodeBadTime, CodeBadTimeRange, CodeBadLimit,
		CodeBadSpeed, CodeBadType, CodeBadFlag, CodeBadSearch, CodeBadParameter,
		CodeUnknownParameter, CodeUnauthenticated, CodeForbidden, CodeNotFound,
		CodeVesselNotFound, CodeMethodNotAllowed, CodeRequestTooLarge,
		CodeQueryTooLong, CodeStreamUnsupported, CodeInternal, CodeTimeout,
		CodeUnavailable, CodeBadEventType, CodeEventNotFound, CodeBadBody,
	}
}

// Status returns the HTTP status that goes with c.
func (c Code) Status() int {
	switch c {
	case CodeBadBBox, CodeBadMMSI, CodeBadTime, CodeBadTimeRange, CodeBadLimit,
		CodeBadSpeed, CodeBadType, CodeBadFlag, CodeBadSearch, CodeBadParameter,
		CodeUnknownParameter, CodeBadEventType, CodeBadBody:
		return http.StatusBadRequest
	case CodeUnauthenticated:
		return http.StatusUnauthorized
	case CodeForbidden:
		return http.StatusForbidden
	case CodeNotFound, CodeVesselNotFound, CodeEventNotFound:
		return http.StatusNotFound
	case CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case CodeRequestTooLarge:
		return http.StatusRequestEntityTooLarge
	case CodeQueryTooLong:
		return http.StatusRequestURITooLong
	case CodeTimeout, CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Error is an API error: a catalogue code and a message for people.
type Error struct {
	Code    Code   // the catalogue code; its Status is the HTTP status
	Message string // for people: what was wrong and what is accepted
}

// Error returns the code and the message.
func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// errorf returns an *Error with code c and message msg.
func errorf(c Code, msg string) *Error { return &Error{Code: c, Message: msg} }

// appendError appends the JSON body of e.
func appendError(b []byte, e *Error) []byte {
	b = append(b, `{"error":{"code":`...)
	b = appendString(b, string(e.Code))
	b = append(b, `,"message":`...)
	b = appendString(b, e.Message)
	return append(b, "}}\n"...)
}

// writeError writes e as a JSON error response with its status.
func writeError(w http.ResponseWriter, e *Error) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Del("Content-Length")
	w.WriteHeader(e.Code.Status())
	_, _ = w.Write(appendError(nil, e))
	if r, ok := w.(*recorder); ok {
		r.code = e.Code
	}
}

// fromQueryError maps an error from the query layer to the catalogue. A
// cancelled context means the client went away or the server is shutting
// down: unavailable.
func fromQueryError(err error, what string) *Error {
	switch {
	case errors.Is(err, access.ErrUnauthenticated):
		return errorf(CodeUnauthenticated, "authentication required")
	case errors.Is(err, access.ErrForbidden):
		return errorf(CodeForbidden, "not permitted to "+what)
	case errors.Is(err, access.ErrNotFound):
		return errorf(CodeVesselNotFound, what+": not found")
	case errors.Is(err, access.ErrUnavailable):
		return errorf(CodeUnavailable, what+": unavailable, retry later")
	case errors.Is(err, context.DeadlineExceeded):
		return errorf(CodeTimeout, what+": took too long")
	case errors.Is(err, context.Canceled):
		return errorf(CodeUnavailable, what+": cancelled")
	}
	return errorf(CodeInternal, what+": internal error")
}

// quote returns s quoted for an error message, shortened so that a hostile
// parameter is not echoed back at length.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "... (" + strconv.Itoa(len(s)) + " bytes)"
	}
	return strconv.Quote(s)
}
