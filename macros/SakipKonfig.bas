Attribute VB_Name = "SakipKonfig"
' Konfigurasi add-in SAKIP: dari mana Python dijalankan.
'
' Dibaca SEKALI per sesi Excel, dan HANYA dari tempat tepercaya:
'   1. nilai tetap add-in ini (di MuatKonfig; tidak dapat diganti oleh berkas apa pun);
'   2. berkas pengguna %USERPROFILE%\.sakip\sakip.conf, ditulis oleh 'sakip-xl addin install';
'   3. nilai bawaan yang diberikan pemanggil.
' Workbook yang sedang dibuka, lembarnya (juga lembar *.conf yang tersembunyi) dan folder tempat
' workbook itu disimpan TIDAK PERNAH dibaca: workbook kiriman OPD tidak boleh memilih interpreter,
' PYTHONPATH, conda atau DLL yang dijalankan PC ini. GetConfig bawaan xlwings memanggil
' SakipKonfigNilai (lihat sakip_xl/addin/xlwings_vba.py).
Option Explicit

Private mKonfig As Object      ' Scripting.Dictionary: KUNCI (huruf besar) -> nilai
Private mAdaBerkas As Boolean  ' berkas pengguna ditemukan saat dimuat
Private mGalatSel As String    ' rincian galat sel terakhir yang sudah dicatat

Public Function SakipBerkasKonfig() As String
    SakipBerkasKonfig = SakipLingkungan("USERPROFILE") & "\.sakip\sakip.conf"
End Function

Public Function SakipBerkasGalat() As String
    SakipBerkasGalat = SakipLingkungan("USERPROFILE") & "\.sakip\galat-terakhir.txt"
End Function

Private Function UraikanVariabel(ByVal s As String) As String
    ' %NAMA% diganti nilai variabel lingkungan (seperti ExpandEnvironmentStrings Windows).
    Dim awal As Long, akhir As Long, nama As String, hasil As String
    awal = InStr(1, s, "%")
    Do While awal > 0
        akhir = InStr(awal + 1, s, "%")
        If akhir = 0 Then Exit Do
        nama = Mid$(s, awal + 1, akhir - awal - 1)
        hasil = hasil & Left$(s, awal - 1)
        If Len(nama) > 0 And Len(SakipLingkungan(nama)) > 0 Then
            hasil = hasil & SakipLingkungan(nama)
        Else
            hasil = hasil & "%" & nama & "%"
        End If
        s = Mid$(s, akhir + 1)
        awal = InStr(1, s, "%")
    Loop
    UraikanVariabel = hasil & s
End Function

Private Function Kutipan(ByVal s As String) As String
    ' "teks" -> teks (format Write # yang dipakai xlwings dan 'sakip-xl addin install').
    s = Trim$(s)
    If Len(s) >= 2 And Left$(s, 1) = """" And Right$(s, 1) = """" Then s = Mid$(s, 2, Len(s) - 2)
    Kutipan = s
End Function

Private Sub BacaBerkasPengguna(ByVal berkas As String)
    Dim isi As String, baris As Variant, i As Long, koma As Long, kunci As String
    isi = SakipBacaTeks(berkas)
    baris = Split(Replace(isi, vbCr, ""), vbLf)
    For i = LBound(baris) To UBound(baris)
        koma = InStr(1, baris(i), """,")
        If koma > 0 Then
            kunci = UCase$(Kutipan(Left$(baris(i), koma)))
            If Len(kunci) > 0 Then mKonfig(kunci) = UraikanVariabel(Kutipan(Mid$(baris(i), koma + 2)))
        End If
    Next i
End Sub

Private Sub MuatKonfig()
    Dim berkas As String
    Set mKonfig = CreateObject("Scripting.Dictionary")
    berkas = SakipBerkasKonfig()
    mAdaBerkas = SakipAdaBerkas(berkas)
    If mAdaBerkas Then BacaBerkasPengguna berkas
    ' Nilai tetap add-in: menimpa berkas pengguna.
    mKonfig("UDF MODULES") = SAKIP_MODUL_UDF
    mKonfig("ADD_WORKBOOK_TO_PYTHONPATH") = "false"   ' folder workbook tidak masuk sys.path
    mKonfig("SHOW_ERROR_POPUPS") = "True"             ' galat tidak pernah ditulis ke workbook
    mKonfig("LICENSE_KEY") = ""                        ' kode tertanam xlwings PRO tidak dipakai
    mKonfig("ONEDRIVE_CONSUMER_WIN") = ""
    mKonfig("ONEDRIVE_COMMERCIAL_WIN") = ""
    mKonfig("SHAREPOINT_WIN") = ""
End Sub

Public Function SakipKonfigNilai(ByVal kunci As String, Optional ByVal bawaan As String = "") As String
    ' Satu pengaturan; berkas pengguna dibaca pada panggilan pertama sesi ini saja.
    If mKonfig Is Nothing Then MuatKonfig
    kunci = UCase$(kunci)
    If mKonfig.Exists(kunci) Then
        SakipKonfigNilai = mKonfig(kunci)
    Else
        SakipKonfigNilai = UraikanVariabel(bawaan)
    End If
End Function

Public Sub SakipMuatUlangKonfig()
    ' Setelah 'sakip-xl addin install' dijalankan ulang tanpa menutup Excel.
    Set mKonfig = Nothing
End Sub

' --------------------------------------------------------------------------- pemeriksaan awal
Private Function FolderInduk(ByVal berkas As String) As String
    If InStrRev(berkas, "\") > 0 Then FolderInduk = Left$(berkas, InStrRev(berkas, "\") - 1)
End Function

Public Function SakipNamaDll() As String
    #If Win64 Then
        SakipNamaDll = "xlwings64-" & XLWINGS_VERSION & ".dll"
    #Else
        SakipNamaDll = "xlwings32-" & XLWINGS_VERSION & ".dll"
    #End If
End Function

Public Function SakipMasalahAwal() As String
    ' Daftar masalah pemasangan (kosong bila siap): konfigurasi ada, interpreter ada, DLL xlwings
    ' versi terpatok di sampingnya, dan paket sakip_xl versi add-in ini terpasang di Python itu.
    Dim py As String, folder As String, lib As String, masalah As String, info As String
    If mKonfig Is Nothing Then MuatKonfig
    If Not mAdaBerkas Then
        SakipMasalahAwal = "- Berkas konfigurasi " & SakipBerkasKonfig() & " tidak ada." & vbLf
        Exit Function
    End If
    py = SakipKonfigNilai("INTERPRETER_WIN", SakipKonfigNilai("INTERPRETER", ""))
    If py = "" Or Not SakipAdaBerkas(py) Then
        SakipMasalahAwal = "- Python untuk Excel tidak ditemukan: " & IIf(py = "", "(tidak diisi)", py) & vbLf
        Exit Function
    End If
    folder = FolderInduk(py)
    If Not (SakipAdaBerkas(folder & "\" & SakipNamaDll()) Or _
            SakipAdaBerkas(FolderInduk(folder) & "\" & SakipNamaDll())) Then
        masalah = masalah & "- " & SakipNamaDll() & " tidak ada di samping " & py & _
                  " (xlwings " & XLWINGS_VERSION & " belum terpasang di Python itu)." & vbLf
    End If
    lib = SakipKonfigNilai("SAKIP_SITE_PACKAGES", folder & "\Lib\site-packages")
    info = lib & "\sakip_xl-" & SAKIP_VERSI_ADDIN & ".dist-info"
    If Not SakipAdaFolder(info) Then
        masalah = masalah & "- Paket sakip_xl versi " & SAKIP_VERSI_ADDIN & _
                  " (versi add-in ini) tidak terpasang di " & lib & "." & vbLf
    End If
    SakipMasalahAwal = masalah
End Function

Public Sub SakipPemeriksaanAwal()
    ' Dipanggil dari Workbook_Open: satu kotak pesan bila pemasangan belum lengkap.
    Dim masalah As String
    On Error Resume Next
    masalah = SakipMasalahAwal()
    If Err.Number <> 0 Then masalah = "- Pemeriksaan pemasangan gagal (" & Err.Description & ")." & vbLf
    On Error GoTo 0
    If masalah = "" Then Exit Sub
    MsgBox "Add-in SAKIP belum siap di PC ini:" & vbLf & vbLf & masalah & vbLf & _
           "Fungsi =SAKIP_* akan menampilkan #PYTHON? dan tombol pita SAKIP belum dapat dipakai. " & _
           "Workbook dengan rumus Excel biasa tetap menghitung semua angka." & vbLf & vbLf & _
           "Perbaikan: di Command Prompt jalankan  pip install sakip-xl==" & SAKIP_VERSI_ADDIN & _
           "  lalu  sakip-xl addin install  (docs/addin-instalasi.md).", vbExclamation, "SAKIP"
End Sub

' --------------------------------------------------------------------------- galat
Public Function SakipGalatSel(ByVal rincian As String) As String
    ' Teks sel ketika Python tidak dapat dipanggil. Rincian teknis (sering berbahasa Inggris, dari
    ' DLL atau Python) tidak ditulis ke sel, tetapi ke berkas galat (sekali per rincian).
    If rincian <> mGalatSel Then
        mGalatSel = rincian
        SakipTulisTeks SakipBerkasGalat(), "Fungsi =SAKIP_* gagal memanggil Python:" & vbCrLf & rincian
    End If
    SakipGalatSel = "#PYTHON?"
End Function

Public Sub SakipTampilkanGalat(ByVal rincian As String)
    ' Pengganti kotak pesan galat xlwings: pesan bahasa Indonesia; rincian ke berkas galat.
    Dim pesan As String
    SakipTulisTeks SakipBerkasGalat(), rincian
    If InStr(1, rincian, "No module named", vbTextCompare) > 0 Then
        pesan = "Python yang dipakai add-in tidak memiliki paket yang dibutuhkan (sakip_xl atau xlwings). " & _
                "Jalankan  pip install sakip-xl==" & SAKIP_VERSI_ADDIN & "  lalu  sakip-xl addin install."
    Else
        pesan = "Python berhenti dengan galat sebelum perintah SAKIP selesai."
    End If
    MsgBox pesan & vbLf & vbLf & "Rincian teknis untuk petugas TI disimpan di " & SakipBerkasGalat() & ".", _
           vbCritical, "SAKIP"
End Sub

' --------------------------------------------------------------------------- tautan add-in
Public Function SakipTautanAsing(ByVal tautan As Variant, ByVal nama As String, ByVal lengkap As String) As Variant
    ' Tautan (LinkSources) ke add-in bernama sama di path lain: yang harus diarahkan ke add-in ini.
    Dim i As Long, hasil As String, berkas As String
    If Not IsArray(tautan) Then
        SakipTautanAsing = Split("", "|")
        Exit Function
    End If
    For i = LBound(tautan) To UBound(tautan)
        berkas = Mid$(tautan(i), InStrRev(tautan(i), "\") + 1)
        If StrComp(berkas, nama, vbTextCompare) = 0 And StrComp(tautan(i), lengkap, vbTextCompare) <> 0 Then
            hasil = hasil & IIf(hasil = "", "", "|") & tautan(i)
        End If
    Next i
    SakipTautanAsing = Split(hasil, "|")
End Function
