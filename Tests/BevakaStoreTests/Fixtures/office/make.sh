#!/bin/sh
# Makes the office fixtures from lista.fods with the programs themselves, so the files are what
# LibreOffice and Gnumeric really write (issue 35): lista.ods and lista-libreoffice.xlsx by
# LibreOffice Calc, lista-gnumeric.xlsx by Gnumeric's ssconvert. The files are committed; run
# this again only to change them (Debian: apt-get install libreoffice-calc-nogui gnumeric):
#     sh Tests/BevakaStoreTests/Fixtures/office/make.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# LibreOffice wants a profile folder of its own (none of the user's settings in the files).
profile="-env:UserInstallation=file://$work/profile"
soffice "$profile" --headless --convert-to ods --outdir "$work" "$here/lista.fods" >/dev/null
soffice "$profile" --headless --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$work" "$here/lista.fods" >/dev/null
cp "$work/lista.ods" "$here/lista.ods"
cp "$work/lista.xlsx" "$here/lista-libreoffice.xlsx"
ssconvert --export-type=Gnumeric_Excel:xlsx2 "$work/lista.ods" "$here/lista-gnumeric.xlsx" 2>/dev/null
soffice --version
ssconvert --version | head -1
