; The Windows installer of ips-fidelity, built with NSIS (makensis runs on Linux too):
; packaging/windows/installer.sh fills in the defines below and prints the installer's path.
;
; It installs for the user who runs it, into %LOCALAPPDATA%\Programs\ips-fidelity, and asks
; for no administrator rights: most users at NAV and the health trusts have none. It adds a
; Start menu shortcut and an entry under Settings > Apps, from which it uninstalls.
; Uninstalling removes the program only: workspaces, and the settings in %APPDATA%, stay.
; Silent: ips-fidelity-setup.exe /S [/D=C:\folder], uninstall.exe /S.

; A 64-bit installer for a 64-bit program (and Wine without 32-bit support can run it).
Target amd64-unicode
!ifndef VERSION | EXE | ICON | OUTFILE
  !error "use packaging/windows/installer.sh (makensis -DVERSION=x.y.z -DEXE=... -DICON=... -DOUTFILE=...)"
!endif

!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\ips-fidelity"

Name "ips-fidelity"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\ips-fidelity"
InstallDirRegKey HKCU "Software\ips-fidelity" "InstallDir"
SetCompressor /SOLID lzma
ManifestDPIAware true
BrandingText "ips-fidelity ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "ips-fidelity"
VIAddVersionKey /LANG=0 "FileDescription" "ips-fidelity – IPS kvalitetsskala (installer)"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT OR Apache-2.0"

!include "MUI2.nsh"
!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_FINISHPAGE_RUN "$INSTDIR\ips-fidelity.exe"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
; Bokmål first: the installer speaks the Windows display language where it is one of these.
!insertmacro MUI_LANGUAGE "Norwegian"
!insertmacro MUI_LANGUAGE "English"

Section "ips-fidelity"
  SetOutPath "$INSTDIR"
  File "/oname=ips-fidelity.exe" "${EXE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\ips-fidelity.lnk" "$INSTDIR\ips-fidelity.exe"
  WriteRegStr HKCU "Software\ips-fidelity" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "ips-fidelity"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\ips-fidelity.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "ips-fidelity"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\ips-fidelity.exe"
  Delete "$INSTDIR\uninstall.exe"
  Delete "$SMPROGRAMS\ips-fidelity.lnk"
  ; Only an empty folder is removed: nothing the user put there is lost.
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\ips-fidelity"
SectionEnd
