package server

import (
	"html/template"
	"net/http"
	"time"

	"straitwatch/internal/ui"
)

// indexPage is the status page at /status: what is running and where the
// API is.
var indexPage = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>straitwatch</title>
<meta http-equiv="refresh" content="5">
<style>body{font:15px system-ui,sans-serif;margin:2em;background:#0b1a2a;color:#dde6ef}a{color:#7cc4ff}
table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #2a3d52;text-align:left}</style></head>
<body><h1>straitwatch</h1>
<p>{{.Vessels}} vessels in the live picture, {{.Time}} UTC. <a href="/">The map</a>.</p>
<h2>Sources</h2>
<table><tr><th>name</th><th>kind</th><th>connected</th><th>messages</th><th>msg/s</th><th>rejected</th><th>shed</th></tr>
{{range .Sources}}<tr><td>{{.Name}}</td><td>{{.Kind}}</td><td>{{.Connected}}</td><td>{{.Messages}}</td><td>{{printf "%.1f" .MessagesPerSecond}}</td><td>{{.RejectsTotal}}</td><td>{{.Shed}}</td></tr>
{{end}}</table>
<h2>API</h2>
<ul><li><a href="/api/vessels">/api/vessels</a> — live vessels (bbox, type, flag, speed and text filters)</li>
<li><a href="/api/sources">/api/sources</a> — sources and their health</li>
<li><a href="/api/stream">/api/stream</a> — live position updates (Server-Sent Events)</li>
<li><a href="/api/openapi.json">/api/openapi.json</a> — the OpenAPI document</li>
<li><a href="/metrics">/metrics</a> — Prometheus metrics, <a href="/healthz">/healthz</a></li></ul>
</body></html>`))

// withIndex serves the map at "/" (its files under /ui/), the status page
// at /status and everything else from api.
func (s *Server) withIndex(api http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", api)
	m := ui.Handler()
	mux.Handle("GET /{$}", m)
	mux.Handle("GET /ui/", m)
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = indexPage.Execute(w, map[string]any{
			"Vessels": s.table.Len(),
			"Time":    s.now().UTC().Format(time.DateTime),
			"Sources": s.pipeline.Health(),
		})
	})
	return mux
}
