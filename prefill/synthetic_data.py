"""Word lists and weights for the synthetic population (our own lists, no Faker).

Weights are rough shares (percent or thousands), good enough for realistic-looking data;
they are not statistics to quote.
"""

from __future__ import annotations

from typing import Final

Weighted = tuple[tuple[str, float], ...]

FAMILY_NAMES: Final[Weighted] = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 3.5), ("Huỳnh", 1.5),
    ("Phan", 4.5), ("Vũ", 2.5), ("Võ", 1.5), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4),
    ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Đinh", 0.6), ("Trịnh", 0.5),
    ("Lương", 0.4), ("Mai", 0.4), ("Đào", 0.4), ("Cao", 0.3), ("Lâm", 0.3), ("Tạ", 0.2),
    ("Hà", 0.4), ("Chu", 0.2), ("Tô", 0.2), ("Tăng", 0.1), ("Kiều", 0.1), ("Quách", 0.1),
    ("Phùng", 0.2), ("Thái", 0.1), ("La", 0.1), ("Triệu", 0.2), ("Lưu", 0.2), ("Nông", 0.2),
    ("Lò", 0.1), ("Vi", 0.1), ("Thạch", 0.1), ("Sơn", 0.1), ("Danh", 0.05), ("Khúc", 0.05),
)

MIDDLE_NAMES: Final[dict[tuple[str, bool], Weighted]] = {
    # (sex, born before 1980)
    ("male", True): (
        ("Văn", 45), ("Đức", 8), ("Hữu", 8), ("Đình", 7), ("Xuân", 5), ("Quang", 5),
        ("Công", 5), ("Minh", 5), ("Ngọc", 3), ("Thanh", 3), ("Bá", 2), ("Trọng", 2),
        ("Mạnh", 2),
    ),
    ("male", False): (
        ("Văn", 15), ("Minh", 12), ("Đức", 10), ("Quang", 6), ("Hoàng", 6), ("Gia", 8),
        ("Anh", 5), ("Tuấn", 4), ("Thành", 4), ("Duy", 5), ("Hữu", 4), ("Công", 3),
        ("Bảo", 6), ("Nhật", 3), ("Đăng", 3), ("Trung", 2), ("Quốc", 4), ("Thanh", 3),
        ("Khánh", 3),
    ),
    ("female", True): (
        ("Thị", 70), ("Ngọc", 6), ("Thu", 4), ("Thanh", 4), ("Hồng", 4), ("Kim", 3),
        ("Minh", 2), ("Xuân", 2), ("Bích", 2), ("Lệ", 1), ("Mỹ", 2),
    ),
    ("female", False): (
        ("Thị", 25), ("Ngọc", 10), ("Thu", 5), ("Thanh", 5), ("Phương", 5), ("Bảo", 6),
        ("Khánh", 5), ("Minh", 6), ("Mai", 4), ("Hà", 3), ("Thùy", 4), ("Quỳnh", 3),
        ("Diệu", 3), ("Gia", 4), ("Tuệ", 2), ("Hoài", 2), ("Hải", 3), ("Kim", 3),
        ("Thị Thu", 2), ("Thị Minh", 2), ("Ngọc Bảo", 2),
    ),
}

GIVEN_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "male": (
        "An", "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Dương", "Đạt", "Đông", "Đức",
        "Giang", "Hải", "Hào", "Hiếu", "Hiệp", "Hòa", "Hoàng", "Huy", "Hùng", "Hưng",
        "Khang", "Khánh", "Khoa", "Khôi", "Kiên", "Lâm", "Lộc", "Long", "Lực", "Minh", "Nam",
        "Nghĩa", "Nhân", "Phát", "Phong", "Phúc", "Phước", "Quân", "Quang", "Quốc", "Sơn",
        "Tài", "Tâm", "Thái", "Thắng", "Thành", "Thiện", "Thịnh", "Thông", "Tiến", "Toàn",
        "Trí", "Trung", "Trường", "Tú", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Tân", "Hậu",
        "Kiệt", "Đăng", "Khải", "Lợi", "Sang",
    ),
    "female": (
        "An", "Anh", "Ánh", "Bích", "Châu", "Chi", "Diễm", "Diệp", "Dung", "Duyên", "Giang",
        "Hà", "Hạnh", "Hằng", "Hân", "Hiền", "Hoa", "Hồng", "Huệ", "Hương", "Huyền", "Khánh",
        "Lan", "Liên", "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhi",
        "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thanh", "Thư", "Thu",
        "Thùy", "Thủy", "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến", "Lụa",
        "Nhàn", "Hoài", "Thoa",
    ),
}

OTHER_NAMES: Final[tuple[str, ...]] = ("Út", "Tư", "Ba", "Bé", "Tí", "Hai", "Năm", "Sáu")

STREETS: Final[tuple[str, ...]] = (
    "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Lý Thường Kiệt", "Quang Trung",
    "Hùng Vương", "Nguyễn Trãi", "Lê Duẩn", "Điện Biên Phủ", "Phan Chu Trinh", "Hoàng Diệu",
    "Ngô Quyền", "Bà Triệu", "Lê Lai", "Nguyễn Du", "Trần Phú", "Lê Thánh Tông",
    "Nguyễn Văn Cừ", "Võ Thị Sáu", "Phan Bội Châu", "Nguyễn Thị Minh Khai", "Lạc Long Quân",
    "Âu Cơ", "Tôn Đức Thắng", "Cách Mạng Tháng Tám", "Nguyễn Chí Thanh", "Lê Hồng Phong",
    "Trường Chinh", "Giải Phóng", "Độc Lập", "Chu Văn An", "Nguyễn Khuyến", "Yết Kiêu",
    "Phạm Ngũ Lão", "Đinh Tiên Hoàng", "Lý Thái Tổ", "Trần Quang Khải", "Tô Hiến Thành",
)

VILLAGES: Final[tuple[str, ...]] = (
    "Đông", "Tây", "Nam", "Bắc", "Thượng", "Hạ", "Trung", "Tân Lập", "An Phú", "Phú Mỹ",
    "Hòa Bình", "Đồng Tâm", "Tiến Bộ", "Quyết Tiến", "Tân Thành", "Bình An", "Phú Lợi",
    "Thắng Lợi", "Đoàn Kết", "Tân Phú", "Hưng Long", "Vĩnh An", "Mỹ Lộc", "Long Hòa",
)

HIGHLAND_VILLAGES: Final[tuple[str, ...]] = (
    "Na Hay", "Pá Khôm", "Huổi Lếch", "Nậm Mạ", "Co Muông", "Phiêng Luông", "Tà Xùa", "Buôn Ko",
    "Kon Jri", "Plei Ơi", "Đăk Rơ", "Ea Tam",
)

LEGACY_PROVINCE_POPULATION: Final[dict[str, int]] = {
    # approximate 2019 census population, thousands, by the 63 pre-2025 province codes
    "01": 8054, "02": 855, "04": 531, "06": 314, "08": 785, "10": 731, "11": 599, "12": 461,
    "14": 1249, "15": 822, "17": 855, "19": 1287, "20": 782, "22": 1321, "24": 1804,
    "25": 1464, "26": 1152, "27": 1369, "30": 1893, "31": 2029, "33": 1253, "34": 1861,
    "35": 853, "36": 1781, "37": 983, "38": 3641, "40": 3328, "42": 1289, "44": 896,
    "45": 633, "46": 1129, "48": 1135, "49": 1496, "51": 1232, "52": 1487, "54": 873,
    "56": 1232, "58": 591, "60": 1231, "62": 541, "64": 1514, "66": 1870, "67": 623,
    "68": 1297, "70": 995, "72": 1169, "74": 2456, "75": 3097, "77": 1148, "79": 8993,
    "80": 1689, "82": 1765, "83": 1289, "84": 1010, "86": 1023, "87": 1600, "89": 1908,
    "91": 1723, "92": 1236, "93": 733, "94": 1200, "95": 907, "96": 1194,
}

MIGRATION_TARGETS: Final[Weighted] = (
    # where people with a temporary residence live: mostly the big cities and industrial zones
    ("79", 35), ("01", 25), ("74", 12), ("75", 8), ("48", 5), ("31", 4), ("27", 4),
    ("92", 3), ("56", 2), ("22", 2),
)

ETHNICITY_SHARES: Final[Weighted] = (
    ("01", 85.3), ("02", 1.9), ("03", 1.9), ("06", 1.5), ("08", 1.5), ("05", 1.4),
    ("07", 1.1), ("09", 0.9), ("04", 0.8), ("10", 0.5), ("12", 0.4), ("13", 0.3),
    ("18", 0.2), ("17", 0.2), ("14", 0.2), ("15", 0.2), ("16", 0.2), ("20", 0.1),
    ("21", 0.15), ("22", 0.1), ("23", 0.1), ("24", 0.1), ("25", 0.07), ("26", 0.07),
    ("27", 0.07), ("28", 0.05), ("29", 0.1), ("19", 0.15), ("30", 0.04), ("31", 0.05),
    ("32", 0.03), ("33", 0.02), ("34", 0.03), ("35", 0.03), ("36", 0.02), ("37", 0.02),
    ("38", 0.02), ("39", 0.01), ("40", 0.01), ("41", 0.01), ("42", 0.01), ("43", 0.005),
    ("44", 0.008), ("45", 0.005), ("46", 0.008), ("47", 0.004), ("48", 0.003),
    ("49", 0.003), ("50", 0.001), ("51", 0.001), ("52", 0.001), ("53", 0.001),
    ("54", 0.001), ("11", 0.001),
)

RELIGION_SHARES: Final[Weighted] = (
    ("Không", 86), ("Công giáo", 6.1), ("Phật giáo", 4.8), ("Phật giáo Hòa Hảo", 1),
    ("Tin lành", 1), ("Cao Đài", 0.6), ("Hồi giáo", 0.1), ("Bà-la-môn", 0.05),
    ("Tứ Ân Hiếu Nghĩa", 0.01), ("Bửu Sơn Kỳ Hương", 0.01),
)

MOBILE_BLOCKS: Final[Weighted] = (
    # the first four digits of valid mobile numbers (national form), by carrier share;
    # every block listed is valid for phonenumbers with any six following digits
    *((f"03{d}", 5.0) for d in "23456789"), ("086", 4), ("096", 5), ("097", 5), ("098", 5),
    *((f"08{d}", 3.0) for d in "12345"), ("088", 3), ("091", 4), ("094", 4),
    ("070", 2), ("076", 2), ("077", 2), ("078", 2), ("079", 2), ("090", 4), ("093", 3),
    ("056", 0.5), ("058", 0.5), ("092", 1), ("059", 0.3), ("087", 0.2),
)

EMAIL_DOMAINS: Final[Weighted] = (
    ("gmail.com", 70), ("yahoo.com", 10), ("outlook.com", 8), ("icloud.com", 5),
    ("hotmail.com", 4), ("fpt.vn", 2), ("vnpt.vn", 1),
)

FOREIGN_SPOUSES: Final[tuple[tuple[str, str, str], ...]] = (
    # (nationality, family name, given name) of spouses who are not Vietnamese citizens
    ("KR", "Kim", "Min Jun"), ("KR", "Park", "Ji Hoon"), ("KR", "Lee", "Seo Yeon"),
    ("CN", "Wang", "Wei"), ("CN", "Li", "Na"), ("TW", "Chen", "Yi Ting"),
    ("JP", "Tanaka", "Yuki"), ("US", "Smith", "John"), ("FR", "Martin", "Claire"),
    ("AU", "Brown", "Emily"),
)
