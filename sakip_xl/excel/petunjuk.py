"""The text of the Petunjuk (how to fill) sheet, in plain Indonesian.

Numbers in the examples are computed by the core (never typed), and the bands shown come from the
policy, so the instructions always match what the formulas do.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..policy import Policy
from ..scoring.capaian import capaian
from ..scoring.triwulan import ytd
from .contract import TEMPLATE_VERSION
from .layout import Sizes

__all__ = ["Line", "petunjuk_lines", "ERROR_TEXTS"]

#: (style, text, text of column B or "") - style is a key of :mod:`.styles` or "kosong".
Line = tuple[str, str, str]

#: Short texts a computed cell may show, and what to do about them.
ERROR_TEXTS: tuple[tuple[str, str], ...] = (
    ("#INPUT?", "Isian bukan angka (mis. ada huruf atau spasi). Ketik angka saja."),
    ("#POLARITAS?", "Polaritas indikator belum dipilih atau salah. Pilih dari daftar di sheet PK."),
    ("#TIPE?", "Tipe agregasi belum dipilih atau salah. Pilih dari daftar di sheet PK."),
    ("#TARGET0", "Target 0 tidak dapat dinilai dengan polaritas positif. Periksa target."),
    ("#TARGET<0", "Target tidak boleh negatif."),
    ("#RENTANG?", "Target Atas harus lebih besar dari Target (batas bawah)."),
    ("#KODE?", "Kode di Rencana Aksi tidak ada di tabel PK. Pilih Kode dari daftar."),
    ("#PAGU0", "Pagu 0 atau belum diisi: serapan belum dapat dihitung."),
    ("#SERAPAN0", "Serapan 0: indeks efisiensi belum dapat dihitung."),
    ("#JAWABAN?", "Jawaban LKE tidak sesuai jenis jawabannya (Y/T atau A-E)."),
)


def _pct(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def _num(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def petunjuk_lines(policy: Policy, rumus: str, sizes: Sizes | None = None) -> Iterator[Line]:
    sz = sizes or Sizes()
    yield ("judul", "Petunjuk Pengisian Workbook SAKIP OPD", "")
    yield ("petunjuk_kecil", f"Versi template {TEMPLATE_VERSION}. Bacalah lembar ini sebelum mengisi.", "")
    yield ("kosong", "", "")
    yield ("seksi", "1. Warna sel", "")
    yield ("isian_teks", "Kuning", "Sel isian OPD. Hanya sel kuning yang dapat diubah.")
    yield ("evaluator_teks", "Biru", "Sel isian evaluator (Inspektorat): Jawaban Evaluator pada sheet LKE.")
    yield ("hitung_teks", "Abu-abu", "Dihitung otomatis dengan rumus. Terkunci, tidak perlu diisi.")
    yield ("kosong", "", "")
    yield ("seksi", "2. Urutan pengisian", "")
    steps = (
        ("Profil", "Isi kode dan nama OPD, tahun, jenis PK (Murni atau Perubahan), serta nama, NIP dan "
                   "jabatan Kepala OPD (Pihak Pertama) dan atasannya (Pihak Kedua)."),
        ("PK", "Satu baris per indikator Perjanjian Kinerja: kode unik (mis. IKU-01), sasaran strategis, "
               "indikator, satuan, polaritas, tipe agregasi dan target tahunan. Target berupa rentang "
               "(mis. inflasi 2-4 %): isi Target = 2 dan Target Atas = 4; selain itu kosongkan Target Atas."),
        ("Rencana Aksi", "Pilih Kode indikator dari daftar; nama, polaritas, tipe dan target terisi sendiri. "
                         "Isi target dan realisasi tiap triwulan (TW I-IV). Triwulan yang belum berjalan "
                         "dibiarkan kosong. Realisasi, Capaian (%) dan Kategori dihitung otomatis."),
        ("Anggaran", "Satu baris per Program, Kegiatan dan Sub Kegiatan (DPA): kode, uraian, level, kode "
                     "induknya, pagu dan realisasi tiap triwulan (bukan kumulatif). Serapan Ringkasan "
                     "memakai baris berlevel Program."),
        ("LKE", "Kriteria evaluasi PermenPAN-RB 88/2021 sudah terisi. Isi Jawaban OPD (Y/T atau A-E) dan "
                "bukti dukungnya. Kolom Jawaban Evaluator diisi oleh Inspektorat."),
        ("Tindak Lanjut", "Rekomendasi hasil evaluasi tahun lalu (LHE) dan rencana tindak lanjutnya, "
                          "penanggung jawab, batas waktu dan status."),
        ("Ringkasan", "Dihitung otomatis: rata-rata capaian, serapan anggaran, indeks efisiensi, nilai "
                      "LKE dan predikat (versi OPD dan versi evaluator)."),
        ("Pernyataan PK", "Halaman Perjanjian Kinerja yang siap dicetak dan ditandatangani, terisi dari "
                          "Profil dan PK. Tempat dan tanggal diisi saat penandatanganan."),
    )
    for sheet, text in steps:
        yield ("label_tebal", sheet, text)
    yield ("teks", "Baris tabel", f"Tabel sudah disiapkan dengan baris kosong berumus (PK dan Rencana Aksi "
                   f"{sz.pk} baris, Anggaran {sz.anggaran}, Tindak Lanjut {sz.tindak_lanjut}). Isi dari baris "
                   "teratas, tanpa baris kosong di antaranya. Sheet dikunci agar rumus tidak terhapus; baris "
                   "tidak dapat disisipkan. Perlu lebih banyak baris? Mintalah template yang lebih besar.")
    yield ("kosong", "", "")
    yield ("seksi", "3. Polaritas indikator", "")
    yield ("label_tebal", "positif", "Makin tinggi makin baik. Capaian = Realisasi / Target x 100. "
           f"Contoh: target 80, realisasi 90 -> {_pct(capaian(80, 90, 'positif'))} %.")
    yield ("label_tebal", "negatif", "Makin rendah makin baik (mis. angka kemiskinan, kasus). "
           "Capaian = (2 x Target - Realisasi) / Target x 100, paling rendah 0. "
           f"Contoh: target 75, realisasi 104,7 -> {_pct(capaian(75, 104.7, 'negatif'))} %.")
    yield ("label_tebal", "stabil", "Target berupa rentang; di dalam rentang = 100 %, di luar rentang "
           "makin jauh makin rendah. "
           f"Contoh: target 2-4, realisasi 5 -> {_pct(capaian((2, 4), 5, 'stabil'))} %.")
    yield ("teks", "Rentang", "Target rentang dengan polaritas positif atau negatif: di dalam rentang 100 %, "
           "di luar rentang dihitung dari batas terdekat. "
           f"Contoh: target 80-90 positif, realisasi 70 -> {_pct(capaian((80, 90), 70, 'positif'))} %.")
    yield ("kosong", "", "")
    yield ("seksi", "4. Tipe agregasi (cara menjumlah triwulan)", "")
    tw = [10.0, 20.0, None, 30.0]
    yield ("label_tebal", "kumulatif", "Nilai tiap triwulan adalah tambahan (mis. jumlah dokumen, km jalan). "
           f"Realisasi tahunan = jumlah triwulan. Contoh: 10, 20, kosong, 30 -> {_num(ytd(tw, 'kumulatif'))}.")
    yield ("label_tebal", "akhir", "Nilai posisi (mis. persentase, indeks). Realisasi tahunan = triwulan "
           f"terakhir yang terisi. Contoh: 10, 20, kosong, 30 -> {_num(ytd(tw, 'akhir'))}.")
    yield ("label_tebal", "rata-rata", "Nilai rata-rata. Realisasi tahunan = rata-rata triwulan yang terisi. "
           f"Contoh: 10, 20, kosong, 30 -> {_num(ytd(tw, 'rata-rata'))}.")
    yield ("kosong", "", "")
    yield ("seksi", "5. Kategori capaian (kebijakan kota)", "")
    lampu = {"hijau": "hijau", "kuning": "kuning", "merah": "merah"}
    for band in policy.kategori:
        rng = "lainnya" if band.batas_bawah is None else f">= {_num(band.batas_bawah)} %"
        yield ("label_tebal", band.label, f"Capaian {rng}; warna {lampu[band.lampu]}.")
    cap = "tanpa batas" if policy.cap_rata_rata is None else f"{_num(policy.cap_rata_rata)} %"
    yield ("teks", "Rata-rata", f"Ringkasan menampilkan rata-rata capaian mentah dan rata-rata dengan tiap "
           f"indikator dibatasi {cap}.")
    yield ("kosong", "", "")
    yield ("seksi", "6. Nilai LKE dan predikat", "")
    for jenis, table in policy.nilai_jawaban.items():
        vals = ", ".join(f"{k} = {_num(v)}" for k, v in table.items())
        yield ("label_tebal", f"Jawaban {jenis}", vals)
    yield ("teks", "Nilai", "Nilai sub komponen = rata-rata nilai kriterianya x bobot; nilai LKE = jumlah "
           "seluruh sub komponen (0-100). Kriteria yang belum dijawab bernilai 0."
           if policy.lke.kosong_bernilai_nol else
           "Nilai sub komponen = rata-rata nilai kriteria yang dijawab x bobot; nilai LKE = jumlah seluruh "
           "sub komponen (0-100).")
    op = "lebih dari" if policy.batas_predikat == "eksklusif" else "sekurang-kurangnya"
    for pb in policy.predikat:
        text = f"Nilai {op} {_num(pb.batas_bawah)}" if pb.batas_bawah > 0 else "Nilai 0 ke atas"
        yield ("label_tebal", pb.label, f"{text}: {pb.interpretasi}".rstrip(": "))
    yield ("kosong", "", "")
    yield ("seksi", "7. Pesan di sel hitung", "")
    for code, text in ERROR_TEXTS:
        yield ("label_tebal", code, text)
    yield ("kosong", "", "")
    yield ("seksi", "8. Rumus", "")
    if rumus == "udf":
        yield ("teks", "Add-in", "Sel hitung memakai fungsi =SAKIP_... dari add-in sakip-xl. Tanpa add-in, "
               "sel menampilkan #NAME?; mintalah versi rumus Excel biasa (template_opd_native.xlsx).")
    else:
        yield ("teks", "Rumus biasa", "Sel hitung memakai rumus Excel biasa, sehingga dapat dibuka tanpa "
               "add-in sakip-xl. Hasilnya sama dengan fungsi =SAKIP_... pada versi add-in.")
    yield ("teks", "Kirim", "Setelah selesai, simpan workbook (.xlsx) dan kirimkan ke Bagian Organisasi. "
           "Jangan mengganti nama sheet, tabel atau kolom: aplikasi kota membacanya berdasarkan nama.")
