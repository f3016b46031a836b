Attribute VB_Name = "RibbonSakip"
' Callback pita SAKIP. Semua pertanyaan kepada pengguna (folder, berkas, pilihan) diajukan di sini,
' di VBA, lalu jawabannya diteruskan ke Python (sakip_xl.addin.ribbon) sebagai argumen lewat
' RunPython. Python menulis hasilnya ke berkas sementara; kotak pesan penutup ditampilkan di sini.
' Logika SAKIP ada di Python, tempat ia diuji.
Option Explicit

Private Const PY_RIBBON As String = "import sakip_xl.addin.ribbon as sakip_ribbon; sakip_ribbon."
Private Const REKAP_NAMA As String = "Rekap SAKIP.xlsx"
Private Const SARING_XLSX As String = "Workbook Excel (*.xlsx), *.xlsx"

' --------------------------------------------------------------------------- bantuan umum
Private Function PyTeks(ByVal s As String) As String
    ' Literal string Python yang aman di baris perintah: huruf, angka dan sedikit tanda dibiarkan,
    ' selebihnya \uXXXX (tanpa tanda kutip ganda, %, &, ^ yang ditafsirkan cmd.exe).
    Dim i As Long, c As String, kode As Long, hasil As String
    For i = 1 To Len(s)
        c = Mid$(s, i, 1)
        kode = AscW(c) And &HFFFF&
        If c Like "[A-Za-z0-9 _.,:-]" Then
            hasil = hasil & c
        Else
            hasil = hasil & "\u" & Right$("000" & Hex$(kode), 4)
        End If
    Next i
    PyTeks = "'" & hasil & "'"
End Function

Private Function PyOpsional(ByVal s As String) As String
    If s = "" Then PyOpsional = "None" Else PyOpsional = PyTeks(s)
End Function

Private Function BerkasHasil() As String
    ' Berkas sementara tempat Python menulis hasil perintah.
    BerkasHasil = SakipLingkungan("TEMP") & "\sakip-hasil-" & Format$(Now, "yyyymmddhhnnss") & _
                  "-" & CStr(Int(Rnd() * 1000000)) & ".txt"
End Function

Private Sub Jalankan(ByVal perintah As String, ByVal hasil As String)
    ' Python dengan argumen; lalu kotak pesan penutup dari berkas hasilnya.
    SakipTulisTeks hasil, ""
    Application.StatusBar = "SAKIP: sedang bekerja..."
    RunPython PY_RIBBON & perintah
    Application.StatusBar = False
    SakipTampilkanHasil hasil
End Sub

Public Sub SakipTampilkanHasil(ByVal hasil As String)
    ' Baris 1: OK/GALAT; baris 2: berkas yang dibuka (boleh kosong); sisanya: pesan.
    Dim isi As String, baris As Variant, pesan As String, i As Long
    isi = SakipBacaTeks(hasil)
    SakipHapusBerkas hasil
    baris = Split(Replace(isi, vbCr, ""), vbLf)
    If UBound(baris) < 2 Then Exit Sub  ' Python berhenti sebelum menulis: galatnya sudah ditampilkan
    For i = 2 To UBound(baris)
        pesan = pesan & baris(i) & vbLf
    Next i
    If baris(0) = "OK" Then
        If baris(1) <> "" Then SakipBukaBerkas baris(1)
        MsgBox pesan, vbInformation, "SAKIP"
    Else
        MsgBox pesan, vbCritical, "SAKIP"
    End If
End Sub

Private Function AdaWorkbook() As Boolean
    ' Workbook OPD aktif yang dapat disunting.
    If SakipTampilanTerproteksi() Then
        MsgBox "Workbook ini dibuka dalam Tampilan Terproteksi (Protected View): klik Aktifkan " & _
               "Pengeditan di bilah kuning di atas lembar, lalu ulangi.", vbExclamation, "SAKIP"
        Exit Function
    End If
    AdaWorkbook = Not (ActiveWorkbook Is Nothing)
    If Not AdaWorkbook Then
        MsgBox "Buka workbook SAKIP OPD terlebih dahulu.", vbExclamation, "SAKIP"
    End If
End Function

Private Function WorkbookTersimpan() As Boolean
    ' Python membaca workbook dari berkasnya: workbook harus sudah disimpan.
    WorkbookTersimpan = False
    If Not AdaWorkbook() Then Exit Function
    If ActiveWorkbook.Path = "" Then
        MsgBox "Simpan workbook ini sebagai berkas .xlsx terlebih dahulu, lalu ulangi.", vbExclamation, "SAKIP"
        Exit Function
    End If
    If Not ActiveWorkbook.Saved Then
        If MsgBox("Perubahan belum disimpan. Simpan sekarang?", vbYesNo + vbQuestion, "SAKIP") <> vbYes Then Exit Function
        ActiveWorkbook.Save
    End If
    WorkbookTersimpan = True
End Function

Private Sub PastikanWorkbook()
    ' RunPython membutuhkan workbook aktif, juga untuk tombol yang tidak memakai workbook OPD.
    If ActiveWorkbook Is Nothing Then Workbooks.Add
End Sub

Private Function TujuanTerbuka(ByVal berkas As String) As Boolean
    ' Berkas keluaran yang sedang terbuka tidak dapat ditimpa: katakan sebelum apa pun dibaca.
    Dim nama As String
    TujuanTerbuka = SakipBerkasTerbuka(berkas)
    If TujuanTerbuka Then
        nama = Mid$(berkas, InStrRev(berkas, "\") + 1)
        MsgBox "Tutup " & nama & " di Excel, lalu ulangi.", vbExclamation, "SAKIP"
    End If
End Function

Private Function TanyaAngka(ByVal pertanyaan As String, ByVal judul As String, ByVal bawah As Long, _
                            ByVal atas As Long, ByRef nilai As String) As Boolean
    ' Angka bulat bawah..atas, atau kosong; False bila dibatalkan.
    Dim jawab As String
    Do
        jawab = Trim$(InputBox(pertanyaan, judul, nilai))
        If jawab = "" Then Exit Function  ' Batal (kosong yang disengaja diketik sebagai -)
        If jawab = "-" Then
            jawab = ""
            Exit Do
        End If
        If IsNumeric(jawab) Then
            If CLng(jawab) >= bawah And CLng(jawab) <= atas And CLng(jawab) = CDbl(jawab) Then Exit Do
        End If
        MsgBox "Isikan angka " & bawah & "-" & atas & ", atau - untuk kosong.", vbExclamation, "SAKIP"
    Loop
    nilai = jawab
    TanyaAngka = True
End Function

' --------------------------------------------------------------------------- tombol
Public Sub SakipPeriksa(control As IRibbonControl)
    Dim hasil As String
    If Not WorkbookTersimpan() Then Exit Sub
    hasil = BerkasHasil()
    Jalankan "periksa(hasil=" & PyTeks(hasil) & ")", hasil
End Sub

Public Sub SakipHitungUlang(control As IRibbonControl)
    Dim hasil As String
    If Not WorkbookTersimpan() Then Exit Sub
    SakipHitungPenuh
    hasil = BerkasHasil()
    Jalankan "hitung_ulang(" & PyTeks(ActiveWorkbook.FullName) & ", hasil=" & PyTeks(hasil) & ")", hasil
End Sub

Public Sub SakipKonsolidasi(control As IRibbonControl)
    Dim folder As String, tahun As String, tw As String, daftar As String, lalu As String, tujuan As String
    Dim hasil As String
    folder = SakipPilihFolder("Pilih folder berisi workbook OPD")
    If folder = "" Then Exit Sub
    tujuan = folder & "\" & REKAP_NAMA
    If TujuanTerbuka(tujuan) Then Exit Sub
    tahun = "-"
    If Not TanyaAngka("Tahun yang direkap (ketik - untuk otomatis: tahun terbanyak di workbook):", _
                      "Konsolidasi 1/4", 2000, 2100, tahun) Then Exit Sub
    tw = "-"
    If Not TanyaAngka("Rekap sampai triwulan (1-4; ketik - untuk setahun penuh terhadap target PK):", _
                      "Konsolidasi 2/4", 1, 4, tw) Then Exit Sub
    If MsgBox("Pakai daftar OPD yang diharapkan (CSV/XLSX/TXT) untuk melihat OPD yang belum mengirim?", _
              vbYesNo + vbQuestion, "Konsolidasi 3/4") = vbYes Then
        daftar = SakipPilihBerkas("Pilih daftar OPD", "Daftar OPD (*.csv;*.xlsx;*.txt), *.csv;*.xlsx;*.txt")
        If daftar = "" Then Exit Sub
    End If
    If MsgBox("Bandingkan dengan rekap tahun lalu?", vbYesNo + vbQuestion, "Konsolidasi 4/4") = vbYes Then
        lalu = SakipPilihBerkas("Pilih rekap tahun lalu", SARING_XLSX)
        If lalu = "" Then Exit Sub
    End If
    PastikanWorkbook
    hasil = BerkasHasil()
    Jalankan "konsolidasi_folder(" & PyTeks(folder) & ", tahun=" & IIf(tahun = "", "None", tahun) & _
             ", sampai_tw=" & IIf(tw = "", "None", tw) & ", daftar_opd=" & PyOpsional(daftar) & _
             ", rekap_lalu=" & PyOpsional(lalu) & ", hasil=" & PyTeks(hasil) & ")", hasil
End Sub

Public Sub SakipTemplateBaru(control As IRibbonControl)
    Dim kode As String, nama As String, tahun As String, berkas As String, rumus As String, jawab As Long
    Dim hasil As String
    kode = Trim$(InputBox("Kode OPD (mis. 1.02.01):", "Template Baru"))
    If kode = "" Then Exit Sub
    nama = Trim$(InputBox("Nama OPD:", "Template Baru"))
    If nama = "" Then Exit Sub
    tahun = CStr(Year(Date))
    If Not TanyaAngka("Tahun PK:", "Template Baru", 2000, 2100, tahun) Then Exit Sub
    If tahun = "" Then Exit Sub
    jawab = MsgBox("Pakai rumus Excel biasa (disarankan: menghitung di PC mana pun, tanpa add-in)?" & vbLf & _
                   "Ya = rumus Excel biasa; Tidak = fungsi add-in =SAKIP_*.", vbYesNoCancel + vbQuestion, "Template Baru")
    If jawab = vbCancel Then Exit Sub
    rumus = IIf(jawab = vbYes, "native", "udf")
    berkas = SakipSimpanSebagai("SAKIP " & kode & " " & tahun & ".xlsx", SARING_XLSX)
    If berkas = "" Then Exit Sub
    If SakipAdaBerkas(berkas) Then
        If TujuanTerbuka(berkas) Then Exit Sub
        If MsgBox(berkas & " sudah ada. Timpa?", vbYesNo + vbQuestion, "SAKIP") <> vbYes Then Exit Sub
    End If
    PastikanWorkbook
    hasil = BerkasHasil()
    Jalankan "template_baru(" & PyTeks(berkas) & ", " & PyTeks(kode) & ", " & PyTeks(nama) & ", " & tahun & _
             ", rumus=" & PyTeks(rumus) & ", hasil=" & PyTeks(hasil) & ")", hasil
End Sub

Public Sub SakipUbahVarian(control As IRibbonControl)
    Dim sumber As String, tujuan As String, rumus As String, jawab As Long, dasar As String
    Dim hasil As String
    If Not WorkbookTersimpan() Then Exit Sub
    sumber = ActiveWorkbook.FullName
    jawab = MsgBox("Buat salinan dengan rumus Excel biasa (menghitung tanpa add-in)?" & vbLf & _
                   "Ya = rumus Excel biasa; Tidak = fungsi add-in =SAKIP_*. Semua isian dibawa; " & _
                   "workbook ini tidak diubah.", vbYesNoCancel + vbQuestion, "Ubah Varian")
    If jawab = vbCancel Then Exit Sub
    rumus = IIf(jawab = vbYes, "native", "udf")
    dasar = Left$(ActiveWorkbook.Name, InStrRev(ActiveWorkbook.Name & ".", ".") - 1)
    tujuan = SakipSimpanSebagai(dasar & " (" & rumus & ").xlsx", SARING_XLSX)
    If tujuan = "" Then Exit Sub
    If StrComp(tujuan, sumber, vbTextCompare) = 0 Then
        MsgBox "Pilih nama berkas lain: workbook sumber tidak ditimpa.", vbExclamation, "SAKIP"
        Exit Sub
    End If
    If TujuanTerbuka(tujuan) Then Exit Sub
    hasil = BerkasHasil()
    Jalankan "ubah_varian(" & PyTeks(sumber) & ", " & PyTeks(tujuan) & ", " & PyTeks(rumus) & _
             ", hasil=" & PyTeks(hasil) & ")", hasil
End Sub

Public Sub SakipBantuan(control As IRibbonControl)
    Dim hasil As String
    PastikanWorkbook
    hasil = BerkasHasil()
    Jalankan "bantuan(hasil=" & PyTeks(hasil) & ")", hasil
End Sub
