package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"straitwatch/internal/track"
)

// openAPIDocument is the part of the OpenAPI document the tests read.
type openAPIDocument struct {
	OpenAPI string `json:"openapi"`
	Paths   map[string]map[string]struct {
		Parameters []struct {
			Name string `json:"name"`
			In   string `json:"in"`
		} `json:"parameters"`
		Responses map[string]json.RawMessage `json:"responses"`
	} `json:"paths"`
	Components struct {
		Schemas map[string]json.RawMessage `json:"schemas"`
	} `json:"components"`
}

func loadOpenAPI(t *testing.T) openAPIDocument {
	t.Helper()
	var doc openAPIDocument
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	return doc
}

// TestOpenAPIRoutes checks that every registered route is in the document
// and every operation of the document is a registered route.
func TestOpenAPIRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	e := newEnv(t, nil)
	var registered, documented []string
	for _, r := range e.api.Routes() {
		registered = append(registered, r.Method+" "+r.Path)
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(registered)
	sort.Strings(documented)
	if diff := cmp.Diff(registered, documented); diff != "" {
		t.Errorf("routes (-registered +documented):\n%s", diff)
	}
}

// TestOpenAPIParameters checks that each endpoint takes exactly the query
// parameters the document lists: each documented one is accepted, and an
// undocumented one is refused.
func TestOpenAPIParameters(t *testing.T) {
	doc := loadOpenAPI(t)
	e := newEnv(t, nil)
	for _, r := range e.api.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") || r.Path == "/api/openapi.json" {
			continue
		}
		path := strings.ReplaceAll(r.Path, "{mmsi}", "422000001")
		path = strings.ReplaceAll(path, "{id}", "gap:422000001:1")
		op := doc.Paths[r.Path][strings.ToLower(r.Method)]
		var names []string
		for _, p := range op.Parameters {
			if p.In == "query" {
				names = append(names, p.Name+"=")
			}
		}
		names = append(names, "") // no parameter at all
		for _, q := range names {
			rec := serveCancelled(e, r.Method, path+"?"+q)
			if r.Method == "POST" {
				rec = serveCancelledBody(e, r.Method, path+"?"+q, `{"comment":"seen"}`)
			}
			if rec.Code != http.StatusOK && rec.Code != http.StatusServiceUnavailable {
				t.Errorf("%s %s?%s = %d %s; want 200, or 503 for a cancelled request", r.Method, r.Path, q, rec.Code, rec.Body)
			}
		}
		rec := serveCancelled(e, r.Method, path+"?undocumented=1")
		if !strings.Contains(rec.Body.String(), string(CodeUnknownParameter)) {
			t.Errorf("%s %s?undocumented=1 = %d %s; want unknown_parameter", r.Method, r.Path, rec.Code, rec.Body)
		}
	}
}

// serveCancelled serves a request whose context has ended, so that a
// stream request returns at once.
func serveCancelled(e *env, method, target string) *httptest.ResponseRecorder {
	return serveCancelledBody(e, method, target, "")
}

func serveCancelledBody(e *env, method, target, body string) *httptest.ResponseRecorder {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, method, target, strings.NewReader(body))
	rec := httptest.NewRecorder()
	e.api.Handler().ServeHTTP(rec, req)
	return rec
}

// TestOpenAPIEnums checks that the document's enumerations are the
// code's: error codes, MMSI kinds and station classes.
func TestOpenAPIEnums(t *testing.T) {
	doc := loadOpenAPI(t)
	enum := func(schema string, path ...string) []string {
		t.Helper()
		var v any
		if err := json.Unmarshal(doc.Components.Schemas[schema], &v); err != nil {
			t.Fatalf("schema %s: %v", schema, err)
		}
		for _, p := range path {
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("schema %s: no %s", schema, p)
			}
			v = m[p]
		}
		var out []string
		for _, x := range v.([]any) {
			out = append(out, x.(string))
		}
		sort.Strings(out)
		return out
	}
	sorted := func(s []string) []string { slices.Sort(s); return s }

	var codes []string
	for _, c := range Codes() {
		codes = append(codes, string(c))
		if s := c.Status(); s < 400 || s > 599 {
			t.Errorf("code %s has status %d", c, s)
		}
	}
	if diff := cmp.Diff(sorted(codes), enum("Error", "properties", "error", "properties", "code", "enum")); diff != "" {
		t.Errorf("error codes (-code +document):\n%s", diff)
	}

	var kinds []string
	for k := track.KindInvalid; k <= track.KindDiver; k++ {
		kinds = append(kinds, k.String())
	}
	if diff := cmp.Diff(sorted(kinds), enum("Vessel", "properties", "kind", "enum")); diff != "" {
		t.Errorf("kinds (-code +document):\n%s", diff)
	}

	var classes []string
	for c := track.ClassUnknown; c <= track.ClassLongRange; c++ {
		classes = append(classes, c.String())
	}
	if diff := cmp.Diff(sorted(classes), enum("Fix", "properties", "class", "enum")); diff != "" {
		t.Errorf("classes (-code +document):\n%s", diff)
	}
}

// TestOpenAPIRefs checks that every $ref in the document resolves.
func TestOpenAPIRefs(t *testing.T) {
	var root any
	if err := json.Unmarshal(OpenAPI(), &root); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if k == "$ref" {
					ref := x.(string)
					var cur any = root
					for _, p := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
						m, _ := cur.(map[string]any)
						cur = m[p]
					}
					if cur == nil {
						t.Errorf("$ref %s does not resolve", ref)
					}
					continue
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(root)
}

// TestOpenAPIStatuses checks that every documented error status is one
// that some code of the catalogue has.
func TestOpenAPIStatuses(t *testing.T) {
	doc := loadOpenAPI(t)
	statuses := map[string]bool{"200": true}
	for _, c := range Codes() {
		statuses[http.StatusText(c.Status())] = true
		statuses[itoa(int64(c.Status()))] = true
	}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			for status := range op.Responses {
				if !statuses[status] {
					t.Errorf("%s %s documents status %s, which no error code has", method, path, status)
				}
			}
		}
	}
}
