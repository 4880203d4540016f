#!/bin/sh
# Remakes the MP4Box-made files of the MP4 test corpus (Mp4Corpus) in this folder.
#
# They are committed because GPAC's MP4Box is not on every machine (Debian 12 has no gpac package),
# and the test suite needs nothing but a JDK and Maven. Run this where `ffmpeg` (with libx264) and
# `MP4Box` are on PATH, then commit the files it changed. The files were last made with ffmpeg 7.1
# (org.bytedeco:ffmpeg 7.1-1.5.11, linux-x86_64-gpl) and MP4Box 1.0.1 (GPAC, Debian 11's package).
#
# Each file is 2 s of 320x240 test picture at 25 fps and a 440 Hz tone, the same input as the
# corpus's ffmpeg-made files; what each exercises is written beside its name in Mp4Corpus.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

ff() { ffmpeg -nostdin -loglevel error -y "$@"; }
box() { MP4Box -quiet "$@"; }

# The base file: H.264 with B-frames and AAC, as ffmpeg writes it (edit lists for the delays).
ff -f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=frequency=440:sample_rate=48000 -t 2 \
  -c:v libx264 -preset medium -bf 2 -g 25 -pix_fmt yuv420p -c:a aac -b:a 64k base.mp4
ff -i base.mp4 -map 0:v -c copy -bsf:v h264_mp4toannexb raw.h264
ff -i base.mp4 -map 0:a -c copy raw.aac
ff -f lavfi -i testsrc2=size=320x240:rate=1 -frames:v 1 cover.jpg
ff -f lavfi -i sine=frequency=440:sample_rate=48000 -i cover.jpg -t 3 -map 0:a -map 1:v \
  -c:a aac -c:v mjpeg -disposition:v attached_pic -f mp4 cover-art.m4a

box -add raw.h264:fps=25 -add raw.aac -new gpac-raw-import.mp4
box -add raw.h264:fps=25:noedit -add raw.aac -new gpac-noedit.mp4
box -add 'base.mp4#video' -add 'base.mp4#audio:delay=500' -new gpac-audio-delay.mp4
box -add base.mp4 -delay 2=300 -new gpac-track-delay.mp4
box -add 'base.mp4#video:dur=1.5' -add 'base.mp4#audio:dur=1.5' -new gpac-dur.mp4
box -frag 500 base.mp4 -out gpac-frag.mp4
mkdir dash
box -dash 1000 -frag 500 -rap -profile onDemand base.mp4 -out dash/ondemand.mpd
cp dash/base_dashinit.mp4 gpac-dash-ondemand.mp4
box -dash 1000 -rap -profile live -segment-name 'seg_$Number$' base.mp4 -out dash/live.mpd
cp dash/seg_init.mp4 gpac-dash-init.mp4
box -add 'cover-art.m4a#audio' -add cover.jpg -new gpac-cover-art.m4a

for f in gpac-raw-import.mp4 gpac-noedit.mp4 gpac-audio-delay.mp4 gpac-track-delay.mp4 gpac-dur.mp4 \
  gpac-frag.mp4 gpac-dash-ondemand.mp4 gpac-dash-init.mp4 gpac-cover-art.m4a; do
  cp "$f" "$here/$f"
done
echo "remade in $here"
