#!/usr/bin/env bash
# Build the Go shim (original/*.go, original/engine.c) into original/build/shim, offline,
# with Debian's Go and gRPC packages in GOPATH mode; only when a source is newer than
# the binary. The Go code for the messages is generated from the processes runtime's
# .proto by protoc, so both shims speak exactly the same messages.
#
#   original/build.sh        prints the binary's path (building it first if needed)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
proto="$here/../lessons/story/processes/wire/shim.proto"   # the processes runtime's wire
out="$here/build"
binary="$out/shim"

sources=("$proto" "$here"/*.go "$here"/*.c "$here"/*.h "$here/build.sh")
fresh=1
[ -x "$binary" ] || fresh=0
for f in "${sources[@]}"; do
    [ "$fresh" = 1 ] && [ "$f" -nt "$binary" ] && fresh=0
done
if [ "$fresh" = 1 ]; then
    echo "$binary"
    exit 0
fi

for tool in go protoc protoc-gen-go protoc-gen-go-grpc; do
    if ! command -v "$tool" >/dev/null; then
        echo "original/build.sh: $tool is missing; run 'make original' (it installs Debian's Go packages)" >&2
        exit 3
    fi
done
echo "==> original: building the Go shim (about a minute the first time)" >&2
gopath="$out/gopath"
# go's work folder, which it removes only if it ends on its own: a build that was
# interrupted leaves it here, not in the machine's /tmp, and the next build clears it.
gotmp="$out/tmp"
rm -rf "$gopath" "$gotmp"
mkdir -p "$gopath/src/original/shim" "$gotmp"
protoc -I "$(dirname "$proto")" --go_out="$gopath/src" --go-grpc_out="$gopath/src" "$proto"
# gRPC-Go lets a stream's Send return until 64 KiB wait unsent (its write quota, a
# constant in 1.33), thousands of the story's items. The story's stream is the client's
# flow-control window only (stream_window): so the build uses Debian's gRPC with that
# quota at one byte, and a Send waits until the item before it is on the wire.
mkdir -p "$gopath/src/google.golang.org"
cp -r /usr/share/gocode/src/google.golang.org/grpc "$gopath/src/google.golang.org/"
sed -i 's/defaultWriteQuota *= 64 \* 1024/defaultWriteQuota = 1/' \
    "$gopath/src/google.golang.org/grpc/internal/transport/defaults.go"
grep -q 'defaultWriteQuota = 1$' "$gopath/src/google.golang.org/grpc/internal/transport/defaults.go"
cp "$here"/*.go "$here"/*.c "$here"/*.h "$gopath/src/original/shim/"
(cd "$gopath/src/original/shim" && GO111MODULE=off GOPATH="$gopath:/usr/share/gocode" \
    GOCACHE="${GOCACHE:-$out/cache}" GOTMPDIR="$gotmp" CGO_ENABLED=1 go build -o "$binary.new" . )
mv "$binary.new" "$binary"
echo "$binary"
