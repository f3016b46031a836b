"""Every Issue code the reader and the validator give, with its severity, meaning and usual fix.

One table, so codes stay stable and documented: ``docs/kode-masalah.md`` lists exactly these (a
test checks both ways).  :func:`make_issue` builds an :class:`~sakip_xl.issues.Issue` from a code;
the message says what was found in this cell, the hint defaults to the code's usual fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import SakipError
from ..issues import Issue, Severity

__all__ = ["Code", "CODES", "make_issue", "issue_from_error"]

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    meaning: str
    hint: str


_ALL = [
    # ---- the file as a whole (raised by read_workbook, turned into one Issue by check_workbook)
    Code("BACA", E, "Berkas tidak dapat dibaca sebagai workbook Excel (tidak ada, kosong, rusak, terpotong, bukan .xlsx).",
         "Simpan ulang dari Excel sebagai .xlsx dan kirim ulang."),
    Code("TERKUNCI", E, "Workbook dilindungi kata sandi (terenkripsi).", "Hapus kata sandi di Excel, simpan, kirim ulang."),
    Code("FORMAT_TIDAK_DIDUKUNG", E, "Format lembar kerja lain (.xls, .xlsb, .ods).", "Simpan sebagai Buku Kerja Excel (.xlsx)."),
    Code("BERBAHAYA", E, "Berkas tampak berbahaya: bom zip, entitas XML, ukuran atau alamat sel tidak wajar, "
         "lembar bernama seperti konfigurasi atau kode add-in (*.conf, xlwings.conf, *.py; juga yang tersembunyi), "
         "atau proyek VBA di dalam berkas bernama .xlsx.",
         "Isi ulang template SAKIP yang asli; jangan kirim berkas hasil alat lain."),
    Code("ZIP_BAGIAN_GANDA", E, "Arsip workbook memuat satu bagian dua kali (mis. dua lembar PK berbeda dengan nama "
         "bagian yang sama): program yang berbeda dapat membaca isi yang berbeda.",
         "Simpan ulang dari Excel; jangan kirim berkas yang dirakit dengan alat lain."),
    Code("LEMBAR_TERLALU_BESAR", E, "Lembar yang dibaca memuat sel di luar batas (baris 20.000, kolom BZ), juga "
         "baris atau sel tanpa alamat yang melewatinya; lembar itu tidak dibaca.",
         "Hapus baris/kolom kosong berlebih di bawah atau di kanan tabel, simpan, kirim ulang."),
    Code("BUKAN_SAKIP", E, "Workbook Excel yang sah tetapi bukan template SAKIP (tabel dan nama yang dikenal tidak ada).",
         "Gunakan template resmi (sakip-xl template) dan salin isinya ke sana."),
    Code("VERSI_TIDAK_DIDUKUNG", E, "Versi template tidak didukung oleh sakip-xl ini.",
         "Gunakan template versi terbaru, atau perbarui sakip-xl."),
    Code("SKEMA", E, "Struktur template rusak (tabel atau nama tidak sesuai kontrak).", "Gunakan template resmi."),
    Code("INTERNAL", E, "Galat internal sakip-xl saat membaca berkas ini.", "Laporkan ke tim sakip-xl beserta berkasnya."),
    # ---- structure
    Code("VERSI_LAMA", W, "Template versi lama: masih dibaca, tetapi sebaiknya diganti.", "Pindahkan isi ke template versi terbaru."),
    Code("VERSI_KOSONG", W, "Versi template (nama Versi_Template) kosong atau tidak ada.", "Gunakan template resmi; jangan hapus sel versi."),
    Code("KEBIJAKAN_BERBEDA", W, "Workbook membawa kebijakan (kategori, predikat, nilai jawaban ...) yang berbeda dari "
         "kebijakan yang dipakai pemeriksa. Kebijakan di workbook hanya data: sakip-xl menghitung dengan kebijakan kota; "
         "fungsi =SAKIP_* di workbook itu menghitung dengan kebijakan yang dibawanya.",
         "Bawa isian ke template dengan kebijakan kota: sakip-xl template --dari BERKAS -o BARU.xlsx --kebijakan kebijakan.toml."),
    Code("MAKRO_DIABAIKAN", W, "Workbook berisi makro (VBA). Makro tidak pernah dijalankan; hanya nilai sel yang dibaca.",
         "Simpan sebagai .xlsx tanpa makro bila makro tidak diperlukan."),
    Code("TABEL_HILANG", E, "Tabel Excel wajib tidak ditemukan (mungkin dihapus atau diganti nama).",
         "Kembalikan tabel dari template resmi dengan nama yang sama."),
    Code("TABEL_DARI_JUDUL", W, "Tabel Excel tidak ada (dihapus oleh program lain), tetapi baris judulnya ditemukan; "
         "isinya dibaca dari judul kolom. Sel hitungan tidak diperiksa.",
         "Gunakan template resmi, atau buat ulang Tabel Excel (Sisipkan > Tabel) dengan nama yang sama."),
    Code("KOLOM_HILANG", E, "Kolom wajib tidak ada di tabel (judul kolom diubah atau dihapus).",
         "Kembalikan judul kolom persis seperti di template."),
    Code("NAMA_HILANG", E, "Nama (defined name) wajib di lembar Profil tidak ditemukan.", "Gunakan template resmi."),
    Code("TABEL_TERSEMBUNYI", E, "Tabel wajib berada di lembar tersembunyi atau sangat tersembunyi: yang dibaca "
         "berbeda dari yang terlihat oleh pengisi (umpan di lembar tersembunyi di samping lembar tiruan yang terlihat).",
         "Tampilkan lembar itu (klik kanan tab > Perlihatkan), pastikan isinya benar, hapus lembar tiruan."),
    Code("TABEL_GANDA", E, "Dua tabel dengan nama tabel wajib yang sama (beda huruf besar/kecil); hanya yang pertama dibaca.",
         "Hapus atau ganti nama tabel salinan sehingga tiap nama tabel wajib hanya ada sekali."),
    Code("TABEL_SALINAN", W, "Tabel bernama seperti tabel wajib dengan nomor (mis. tblPK2, dari lembar yang disalin); "
         "isinya tidak dibaca.", "Pindahkan isinya ke tabel aslinya, lalu hapus lembar salinan."),
    Code("RUMUS_DI_ISIAN", E, "Sel isian berisi rumus yang merujuk workbook lain (=[1]Data!G5) atau fungsi yang nilainya "
         "berubah sendiri (INDIRECT, OFFSET, TODAY ...): nilai tersimpannya bukan isian, jadi sel dibaca kosong.",
         "Ketik nilainya langsung di sel (Salin > Tempel Nilai)."),
    Code("KODE_DINORMALKAN", W, "Kode OPD memuat karakter tak terlihat (mis. U+2060) atau bentuk lain (angka lebar "
         "penuh); kode dibaca dalam bentuk bakunya agar tidak menjadi OPD terpisah.",
         "Ketik ulang kode OPD di lembar Profil."),
    Code("PERNYATAAN_BEDA", W, "Lembar Pernyataan PK yang dicetak ditimpa dengan teks lain (tahun, OPD atau nama yang "
         "berbeda dari Profil).", "Salin kembali rumus lembar Pernyataan PK dari template; isi Profil saja."),
    # ---- one cell's value
    Code("NILAI_DINORMALKAN", INFO, "Isi sel dirapikan agar dapat dibaca (koma desimal, tanda %, satuan, spasi, huruf besar/kecil ...).",
         "Tidak wajib diubah; pesan menyebut cara sel itu dibaca. Periksa bahwa bacaannya benar."),
    Code("NILAI_BUKAN_ANGKA", E, "Sel angka berisi teks yang bukan angka.", "Isi dengan angka saja, mis. 85 atau 85,5."),
    Code("NILAI_TERLALU_BESAR", E, "Angka lebih besar dari 10^15 (1.000 triliun) atau tak terhingga: tidak ada isian "
         "SAKIP sebesar itu, dan jumlahnya tidak lagi dapat dihitung dengan tepat.",
         "Periksa angkanya; jumlah rupiah ditulis tanpa desimal, mis. 1500000000."),
    Code("NILAI_TEKS_DI_SEL_ANGKA", W, "Sel angka berisi teks (mis. 60% atau 1.500.000 ditempel sebagai teks): rumus "
         "workbook tidak menghitung teks (sel hitungannya #INPUT?), jadi angka itu tidak dihitung di Ringkasan, "
         "periksa, maupun rekap: semuanya memakai yang ditunjukkan workbook.",
         "Ketik ulang sebagai angka (60, bukan 60% atau '60'), atau format sel sebagai Angka lalu ketik nilainya."),
    Code("NILAI_PERSEN_SEL", W, "Sel angka berformat persen: Excel menyimpan 60% sebagai 0,6, dan 0,6 itulah yang "
         "dihitung workbook dan sakip-xl (satuan indikator sudah persen).",
         "Ubah format sel menjadi Angka dan ketik 60."),
    Code("DATA_DI_LUAR_TABEL", W, "Data diketik di bawah atau di samping tabel Excel: tidak termasuk tabel, jadi "
         "tidak dibaca dan tidak dihitung.",
         "Perluas tabel agar mencakup baris ini (seret pojok kanan bawah tabel) atau pindahkan isinya ke dalam tabel."),
    Code("NILAI_AMBIGU", E, "Angka dengan satu pemisah dan tepat tiga digit (mis. 1.234) bisa berarti ribuan atau desimal.",
         "Ketik tanpa pemisah ribuan (1234) atau format sel sebagai Angka."),
    Code("NILAI_GALAT_EXCEL", E, "Sel berisi nilai galat Excel (#DIV/0!, #N/A, #VALUE! ...).", "Perbaiki isi sel atau rumusnya."),
    Code("NILAI_TANGGAL", E, "Sel angka berisi tanggal (Excel mengubah ketikan seperti 1.5 menjadi tanggal).",
         "Format sel sebagai Angka lalu ketik ulang dengan koma desimal."),
    Code("NILAI_BOOLEAN", E, "Sel angka berisi TRUE/FALSE.", "Ketik angkanya."),
    Code("NILAI_RENTANG", E, "Rentang (mis. 80-90) diketik di sel yang harus berisi satu angka.",
         "Rentang hanya boleh pada Target PK (atau isi Target dan Target Atas)."),
    Code("TANGGAL_TIDAK_SAH", E, "Sel tanggal berisi sesuatu yang bukan tanggal.", "Tulis hari/bulan/tahun, mis. 31/12/2025."),
    Code("PILIHAN_TIDAK_DIKENAL", E, "Isi sel bukan salah satu pilihan yang disediakan.", "Pilih dari daftar pilihan sel."),
    Code("RUMUS_DITIMPA", W, "Rumus di kolom hitungan diganti nilai ketikan; nilai itu diabaikan dan dihitung ulang.",
         "Salin kembali rumus dari baris lain (atau dari template) ke sel ini."),
    Code("RUMUS_TIDAK_DIHITUNG", INFO, "Sel hitungan menyimpan #NAME?: workbook disimpan di komputer tanpa add-in SAKIP "
         "(rumus =SAKIP_*). Tidak mengganggu: semua angka dihitung ulang oleh sakip-xl.",
         "Pasang add-in SAKIP, atau buat template dengan rumus bawaan Excel (sakip-xl template --rumus native)."),
    Code("NILAI_TERSIMPAN_BEDA", W, "Nilai yang tersimpan di sel hitungan berbeda dari hasil hitung ulang (diubah manual atau berkas basi).",
         "Buka di Excel, tekan Ctrl+Alt+F9 untuk menghitung ulang, periksa, lalu simpan."),
    # ---- Profil
    Code("PROFIL_WAJIB", E, "Isian wajib Profil kosong (Kode OPD, Nama OPD, Tahun, Nama Kepala).", "Lengkapi lembar Profil."),
    Code("TAHUN_TIDAK_WAJAR", E, "Tahun di luar rentang yang wajar.", "Isi tahun anggaran, mis. 2025."),
    Code("PROFIL_JENIS_PK", E, "Jenis PK bukan Murni atau Perubahan.", "Pilih Murni atau Perubahan."),
    # ---- PK
    Code("PK_KODE_KOSONG", E, "Baris PK berisi data tetapi Kode kosong.", "Isi Kode indikator (unik)."),
    Code("PK_KODE_GANDA", E, "Kode indikator dipakai lebih dari sekali di PK.", "Beri setiap indikator kode yang unik."),
    Code("PK_INDIKATOR_KOSONG", E, "Nama Indikator Kinerja kosong.", "Isi nama indikator."),
    Code("PK_POLARITAS", E, "Polaritas tidak dikenal.", "Pilih positif, negatif, atau stabil."),
    Code("PK_TIPE_AGREGASI", E, "Tipe Agregasi tidak dikenal.", "Pilih kumulatif, akhir, atau rata-rata."),
    Code("PK_TARGET_KOSONG", E, "Target tahunan kosong: capaian tidak dapat dihitung.", "Isi target sesuai Perjanjian Kinerja."),
    Code("PK_TARGET_TIDAK_DAPAT_DINILAI", E, "Target yang tidak dapat dinilai oleh rumus capaian (mis. 0 untuk polaritas positif, negatif).",
         "Periksa target dan polaritas; untuk target 0 gunakan polaritas negatif."),
    Code("PK_RENTANG_TERBALIK", E, "Target rentang dengan batas bawah tidak lebih kecil dari batas atas.",
         "Isi Target dengan batas bawah dan Target Atas dengan batas atas."),
    Code("PK_RENTANG_GANDA", E, "Target diketik sebagai rentang padahal Target Atas juga diisi.",
         "Isi batas bawah di Target dan batas atas di Target Atas."),
    # ---- Rencana Aksi
    Code("RA_KODE_KOSONG", E, "Baris Rencana Aksi berisi angka tetapi Kode kosong.", "Isi Kode indikator dari PK."),
    Code("RA_KODE_TIDAK_ADA", E, "Kode di Rencana Aksi tidak ada di PK.", "Gunakan Kode yang tertulis di lembar PK."),
    Code("RA_KODE_GANDA", E, "Satu indikator punya lebih dari satu baris Rencana Aksi.", "Gabungkan menjadi satu baris."),
    Code("RA_TANPA_RENCANA_AKSI", W, "Indikator PK tidak punya baris Rencana Aksi.", "Tambahkan Kode indikator di lembar Rencana Aksi."),
    Code("RA_KUMULATIF_NEGATIF", E, "Indikator kumulatif: nilai triwulan adalah tambahan, dan tambahan ini negatif "
         "(realisasi turun, atau angka kumulatif diketik di tempat tambahan).",
         "Untuk tipe kumulatif isi tambahan per triwulan, bukan angka s.d. triwulan."),
    Code("RA_TW_LONCAT", W, "Triwulan diisi setelah triwulan sebelumnya kosong.", "Isi triwulan secara berurutan (TW I dulu)."),
    Code("RA_TARGET_TW_TIDAK_SESUAI", W, "Target triwulan tidak cocok dengan target tahunan menurut tipe agregasinya "
         "(kumulatif: jumlah; akhir: TW IV; rata-rata: rata-rata).", "Sesuaikan target triwulan atau target tahunan."),
    # ---- Anggaran
    Code("AGG_KODE_KOSONG", E, "Baris anggaran berisi data tetapi Kode kosong.", "Isi kode program/kegiatan/sub kegiatan."),
    Code("AGG_KODE_GANDA", E, "Kode anggaran dipakai lebih dari sekali.", "Setiap baris anggaran berkode unik."),
    Code("AGG_LEVEL", E, "Level anggaran tidak dikenal atau kosong.", "Pilih Program, Kegiatan, atau Sub Kegiatan."),
    Code("AGG_INDUK_KOSONG", E, "Kegiatan atau Sub Kegiatan tanpa Induk.", "Isi Kode induknya (Program atau Kegiatan)."),
    Code("AGG_INDUK_TIDAK_ADA", E, "Induk tidak ditemukan di tabel anggaran.", "Periksa Kode induk."),
    Code("AGG_INDUK_LEVEL", E, "Induk berlevel salah (Kegiatan di bawah Program, Sub Kegiatan di bawah Kegiatan).",
         "Perbaiki Induk atau Level."),
    Code("AGG_PAGU_TIDAK_SESUAI", E, "Jumlah pagu anak tidak sama dengan pagu induknya.", "Samakan pagu induk dengan jumlah pagu anak."),
    Code("AGG_REALISASI_MELEBIHI_PAGU", E, "Realisasi anggaran melebihi pagu.", "Periksa realisasi atau pagu (DPA Perubahan?)."),
    Code("AGG_NEGATIF", E, "Pagu atau realisasi anggaran negatif.", "Isi jumlah rupiah positif."),
    # ---- LKE
    Code("LKE_JAWABAN_TIDAK_SAH", E, "Jawaban LKE di luar Jenis Jawaban kriterianya.", "Y/T: isi Y atau T; A-E: isi A, B, C, D, atau E."),
    Code("LKE_KERANGKA_LOGIS", E, "Jawaban melebihi jawaban kriteria yang menjadi syaratnya (kerangka logis).",
         "Turunkan jawaban ini atau periksa jawaban kriteria acuannya."),
    Code("LKE_NILAI_TANPA_JAWABAN", E, "Nilai diketik di kolom Nilai padahal Jawaban kosong.",
         "Isi Jawaban; kolom Nilai dihitung otomatis."),
    Code("LKE_KODE_TIDAK_DIKENAL", W, "Kode kriteria LKE tidak ada dalam daftar kriteria kebijakan.", "Gunakan template resmi."),
    Code("LKE_KRITERIA_HILANG", W, "Kriteria LKE tidak ada di lembar LKE (dihitung belum dijawab).", "Kembalikan baris kriteria dari template."),
    Code("LKE_JENIS_BEDA", W, "Jenis Jawaban di lembar berbeda dari daftar kriteria; daftar kriteria yang dipakai.",
         "Gunakan template resmi."),
    # ---- Tindak Lanjut
    Code("TL_STATUS", E, "Status tindak lanjut tidak dikenal.", "Pilih Belum, Proses, atau Selesai."),
    Code("TL_LEWAT_BATAS", W, "Batas waktu tindak lanjut sudah lewat tetapi status belum Selesai.",
         "Selesaikan tindak lanjut atau perbarui statusnya."),
    Code("TL_KOSONG", E, "Baris tindak lanjut berisi data tetapi No kosong.", "Isi nomor urut."),
    # ---- the roll-up (issue 10, decisions A9)
    Code("CAPAIAN_BELUM_SETAHUN", W, "Indikator baru dilaporkan sampai triwulan sebelum triwulan yang dinilai "
         "(mis. s.d. TW II dalam penilaian setahun): capaiannya diberi label triwulan itu, bukan dianggap setahun.",
         "Isi realisasi triwulan berikutnya, atau jalankan penilaian s.d. triwulan itu (--sampai-tw)."),
    Code("CAPAIAN_TIDAK_WAJAR", W, "Capaian di atas 200 %: biasanya salah satuan (Excel menyimpan 60% yang diketik "
         "sebagai 0,6).", "Periksa satuan target dan realisasi; ketik 60, bukan 60%."),
    Code("CAPAIAN_TARGET_NOL", W, "Indikator negatif bertarget 0 dengan realisasi di atas 0: capaiannya 0 %.",
         "Periksa realisasi; bila benar, jelaskan di Faktor Penghambat."),
    Code("REALISASI_NEGATIF", W, "Indikator negatif dengan realisasi negatif.", "Periksa isian realisasi."),
    Code("AGG_PAGU_NOL", E, "Pagu 0 padahal ada realisasi: serapan tidak dapat dihitung. Pagu 0 dengan realisasi 0 "
         "(mis. dihapus di DPA Perubahan) tidak dihitung dan bukan masalah.",
         "Isi pagu sesuai DPA, atau kosongkan realisasinya."),
    Code("LKE_EVALUASI_BELUM_FINAL", W, "Evaluator sudah menjawab sebagian kriteria, tetapi kolomnya belum lengkap dan "
         "Status Evaluasi belum Final: nilai yang dipakai nilai mandiri OPD.",
         "Evaluator melengkapi jawaban atau mengisi Status Evaluasi = Final di lembar Profil."),
    # ---- A4
    Code("SERAPAN_TINGGI_CAPAIAN_RENDAH", W, "Capaian kinerja di bawah 100% sementara serapan anggaran sudah di atas ambang kebijakan.",
         "Jelaskan di Faktor Penghambat atau periksa realisasi."),
]

CODES: dict[str, Code] = {c.code: c for c in _ALL}
assert len(CODES) == len(_ALL), "duplicate issue code"


def make_issue(code: str, message: str, *, sheet: str | None = None, cell: str | None = None,
               hint: str | None = None, file: str | None = None,
               severity: Severity | None = None) -> Issue:
    c = CODES[code]
    return Issue(code=code, severity=severity or c.severity, message=message, file=file,
                 sheet=sheet, cell=cell, hint=hint or c.hint)


def issue_from_error(exc: SakipError, file: str | None = None) -> Issue:
    """One error Issue for an exception that stopped a workbook from being read."""
    code = exc.code if exc.code in CODES else "BACA"
    return make_issue(code, exc.message, hint=exc.hint, file=file, severity=Severity.ERROR,
                      sheet=getattr(exc, "sheet", None))
