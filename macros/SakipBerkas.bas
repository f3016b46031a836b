Attribute VB_Name = "SakipBerkas"
' Akses sistem operasi add-in SAKIP, di satu tempat: variabel lingkungan, ada/tidaknya berkas dan
' folder, baca/tulis berkas teks. Modul lain tidak menyentuh berkas secara langsung, sehingga
' pengujian (pyOpenVBA, tanpa Windows) dapat mengganti modul ini dan mencatat setiap berkas yang
' dibuka. Tidak ada keputusan di sini: hanya pembungkus tipis fungsi VBA.
Option Explicit

Public Function SakipLingkungan(ByVal nama As String) As String
    SakipLingkungan = Environ(nama)
End Function

Public Function SakipAdaBerkas(ByVal berkas As String) As Boolean
    On Error Resume Next
    SakipAdaBerkas = ((GetAttr(berkas) And vbDirectory) = 0)
    If Err.Number <> 0 Then SakipAdaBerkas = False
    On Error GoTo 0
End Function

Public Function SakipAdaFolder(ByVal folder As String) As Boolean
    On Error Resume Next
    SakipAdaFolder = ((GetAttr(folder) And vbDirectory) = vbDirectory)
    If Err.Number <> 0 Then SakipAdaFolder = False
    On Error GoTo 0
End Function

Public Function SakipBacaTeks(ByVal berkas As String) As String
    ' Seluruh isi berkas teks (baris dipisah vbLf); "" bila tidak dapat dibaca.
    Dim f As Integer, baris As String, isi As String
    On Error GoTo gagal
    f = FreeFile
    Open berkas For Input As #f
    Do While Not EOF(f)
        Line Input #f, baris
        isi = isi & baris & vbLf
    Loop
    Close #f
    SakipBacaTeks = isi
    Exit Function
gagal:
    On Error Resume Next
    Close #f
    SakipBacaTeks = ""
End Function

Public Sub SakipTulisTeks(ByVal berkas As String, ByVal isi As String)
    Dim f As Integer
    On Error Resume Next
    f = FreeFile
    Open berkas For Output As #f
    Print #f, isi
    Close #f
End Sub

Public Sub SakipHapusBerkas(ByVal berkas As String)
    On Error Resume Next
    Kill berkas
End Sub
