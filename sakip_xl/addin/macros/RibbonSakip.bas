Attribute VB_Name = "RibbonSakip"
' Callback pita SAKIP. Setiap callback hanya memeriksa prasyarat, lalu memanggil Python
' (sakip_xl.addin.ribbon) lewat RunPython. Semua logika ada di Python, tempat ia diuji.
Option Explicit

Private Const PY_RIBBON As String = "import sakip_xl.addin.ribbon as sakip_ribbon; sakip_ribbon."

Private Function AdaWorkbook() As Boolean
    ' RunPython membutuhkan workbook aktif (selain add-in ini).
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
    ' Konsolidasi, Template Baru dan Bantuan tidak butuh workbook OPD, tetapi RunPython butuh workbook aktif.
    If ActiveWorkbook Is Nothing Then Workbooks.Add
End Sub

Public Sub SakipPeriksa(control As IRibbonControl)
    If Not WorkbookTersimpan() Then Exit Sub
    RunPython PY_RIBBON & "periksa()"
End Sub

Public Sub SakipHitungUlang(control As IRibbonControl)
    If Not WorkbookTersimpan() Then Exit Sub
    RunPython PY_RIBBON & "hitung_ulang()"
End Sub

Public Sub SakipKonsolidasi(control As IRibbonControl)
    PastikanWorkbook
    RunPython PY_RIBBON & "konsolidasi_folder()"
End Sub

Public Sub SakipTemplateBaru(control As IRibbonControl)
    PastikanWorkbook
    RunPython PY_RIBBON & "template_baru()"
End Sub

Public Sub SakipBantuan(control As IRibbonControl)
    PastikanWorkbook
    RunPython PY_RIBBON & "bantuan()"
End Sub
