//go:build js && wasm

// Command sgc-wasm is sgc for the playground's page: built with GOOS=js
// GOARCH=wasm, it defines sgcHandle(requestJSON) -> responseJSON (see
// playground/api) and waits.
package main

import (
	"encoding/json"
	"syscall/js"

	"github.com/sgc-dev/sgc/playground/api"
)

func main() {
	js.Global().Set("sgcHandle", js.FuncOf(func(this js.Value, args []js.Value) any {
		var req api.Request
		if len(args) != 1 || json.Unmarshal([]byte(args[0].String()), &req) != nil {
			return `{"error": "sgcHandle takes one JSON request"}`
		}
		out, _ := json.Marshal(api.Handle(req))
		return string(out)
	}))
	js.Global().Set("sgcReady", true)
	select {}
}
