Attribute VB_Name = "SakipDialog"
' Dialog Excel add-in SAKIP di satu tempat: pemilih folder dan berkas, Tampilan Terproteksi,
' workbook yang sedang terbuka, hitung ulang penuh. Modul lain tidak memanggil dialog Excel secara langsung, sehingga
' pengujian (pyOpenVBA, tanpa Excel) dapat mengganti modul ini dengan jawaban yang disiapkan.
' Tidak ada keputusan di sini: hanya pembungkus tipis objek Application.
Option Explicit

Public Function SakipPilihFolder(ByVal judul As String) As String
    ' Folder yang dipilih, atau "" bila dibatalkan.
    With Application.FileDialog(4)  ' msoFileDialogFolderPicker
        .Title = judul
        .AllowMultiSelect = False
        If .Show = -1 Then SakipPilihFolder = .SelectedItems(1)
    End With
End Function

Public Function SakipPilihBerkas(ByVal judul As String, ByVal saring As String) As String
    ' Berkas yang dipilih untuk dibaca, atau "" bila dibatalkan.
    Dim hasil As Variant
    hasil = Application.GetOpenFilename(saring, , judul)
    If VarType(hasil) = vbString Then SakipPilihBerkas = hasil
End Function

Public Function SakipSimpanSebagai(ByVal usul As String, ByVal saring As String) As String
    ' Berkas tujuan yang dipilih, atau "" bila dibatalkan.
    Dim hasil As Variant
    hasil = Application.GetSaveAsFilename(usul, saring)
    If VarType(hasil) = vbString Then SakipSimpanSebagai = hasil
End Function

Public Function SakipTampilanTerproteksi() As Boolean
    ' Workbook aktif dibuka dalam Tampilan Terproteksi (Protected View).
    On Error Resume Next
    SakipTampilanTerproteksi = Not (Application.ActiveProtectedViewWindow Is Nothing)
End Function

Public Function SakipBerkasTerbuka(ByVal berkas As String) As Boolean
    ' Berkas ini sedang terbuka di Excel ini.
    Dim wb As Workbook
    For Each wb In Application.Workbooks
        If StrComp(wb.FullName, berkas, vbTextCompare) = 0 Then SakipBerkasTerbuka = True
    Next wb
End Function

Public Sub SakipBukaBerkas(ByVal berkas As String)
    Workbooks.Open berkas
End Sub

Public Sub SakipHitungPenuh()
    ' Semua rumus semua workbook terbuka (termasuk =SAKIP_*) dihitung ulang.
    Application.CalculateFull
End Sub

Public Sub SakipPerbaikiTautan(ByVal wb As Workbook)
    ' Workbook yang disimpan di PC lain menyimpan path add-in PC itu (berisi nama pengguna Windows):
    ' tautannya diarahkan ke add-in yang terpasang di PC ini, tanpa menyentuh isian.
    Dim asing As Variant, i As Long
    On Error GoTo selesai
    If wb Is ThisWorkbook Then Exit Sub
    asing = SakipTautanAsing(wb.LinkSources(1), ThisWorkbook.Name, ThisWorkbook.FullName)  ' xlExcelLinks
    For i = LBound(asing) To UBound(asing)
        wb.ChangeLink asing(i), ThisWorkbook.FullName, 1
    Next i
selesai:
End Sub
