#!/usr/bin/env bash
# A stand-in for `a3 compress RECIPE --out DIR [--device D] [--cache C]` (as Grpc.Tools tests use a fake protoc):
# it takes the same arguments, prints the same kinds of lines and writes its output folder the same way
# (a temporary sibling renamed into place), in milliseconds and without libtorch.
#
#   A3_FAKE_LOG      file that gets one line per invocation (its arguments)
#   A3_FAKE_MODE     ok (default) | fail (located error, exit 2) | sleep (waits; SIGINT cleans up, exit 130)
#                    | stubborn (waits and ignores SIGINT, so only a kill stops it)
#   A3_FAKE_PIDFILE  file that gets "<pid of this script> <pid of its sleeping child>" in sleep/stubborn modes
set -u

if [ "${1:-}" != "compress" ]; then
  echo "a3: error A3001: the fake compressor only knows 'compress'" >&2
  exit 2
fi
recipe="$2"
shift 2
out="" cache=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    --device) shift 2 ;;
    *) echo "a3: error A3001: unexpected argument $1" >&2; exit 2 ;;
  esac
done

[ -n "${A3_FAKE_LOG:-}" ] && echo "compress $recipe --out $out --cache $cache" >> "$A3_FAKE_LOG"
mode="${A3_FAKE_MODE:-ok}"
temporary="$(dirname "$out")/.$(basename "$out").tmp-$$"

if [ "$mode" = "fail" ]; then
  echo "$recipe(7,3): warning A3109: the fake compressor warns" >&2
  echo "$recipe(8,5): error A3104: calibration data is unreadable" >&2
  exit 2
fi

# The artifact cache's note, as a3 compress prints it: the key follows the recipe's content.
key="$(cksum < "$recipe" | cut -d' ' -f1)"
if [ -n "$cache" ] && [ -f "$cache/fake-$key" ]; then
  echo "a3: cache hit $key" >&2
elif [ -n "$cache" ]; then
  echo "a3: cache miss $key" >&2
fi

mkdir -p "$temporary/tokenizer"
echo "a3: compress layer 0 1/2 (0.0s, ETA 0.0s)" >&2

if [ "$mode" = "sleep" ] || [ "$mode" = "stubborn" ]; then
  echo "partial" > "$temporary/model.safetensors"
  if [ "$mode" = "sleep" ]; then
    trap 'kill "$child" 2> /dev/null; rm -rf "$temporary"; echo "a3: cancelled" >&2; exit 130' INT
  else
    trap '' INT
  fi
  sleep 120 &
  child=$!
  [ -n "${A3_FAKE_PIDFILE:-}" ] && echo "$$ $child" > "$A3_FAKE_PIDFILE"
  while kill -0 "$child" 2> /dev/null; do
    wait "$child"
  done
fi

echo "{\"recipe\": \"$(basename "$recipe")\"}" > "$temporary/config.json"
echo "fake weights of $(basename "$recipe")" > "$temporary/model.safetensors"
echo "fake tokenizer" > "$temporary/tokenizer/tokenizer.model"
# The real compressor adds the ONNX export in onnx/ when output.formats lists onnx.
if grep -q "formats:.*onnx" "$recipe"; then
  mkdir -p "$temporary/onnx" && echo "fake graph of $(basename "$recipe")" > "$temporary/onnx/model.onnx"
fi
echo "a3: compress layer 1 2/2 (0.0s)" >&2
if [ -n "$cache" ]; then
  mkdir -p "$cache" && echo "$recipe" > "$cache/fake-entry" && touch "$cache/fake-$key"
fi
rm -rf "$out"
mv "$temporary" "$out"
echo "wrote $out"
