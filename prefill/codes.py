"""Closed code lists of the Citizen record, each code with its Vietnamese label.

Codes are what the record stores and what a definition's ``enum`` uses; labels are what a
person reads. Insertion order is display order.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal

Sex = Literal["male", "female"]
MaritalStatus = Literal["single", "married", "divorced", "widowed"]
Relationship = Literal[
    "head", "spouse", "child", "child_in_law", "grandchild", "parent", "parent_in_law",
    "grandparent", "sibling", "other_relative", "other",
]

SEXES: Final[Mapping[str, str]] = MappingProxyType({"male": "Nam", "female": "Nữ"})

MARITAL_STATUSES: Final[Mapping[str, str]] = MappingProxyType({
    "single": "Chưa kết hôn",
    "married": "Đã kết hôn",
    "divorced": "Đã ly hôn",
    "widowed": "Góa",
})
"""Marital status (Law on Identification 2023, Art. 9(1) item 21; the register's values)."""

RELATIONSHIPS: Final[Mapping[str, str]] = MappingProxyType({
    "head": "Chủ hộ",
    "spouse": "Vợ/Chồng",
    "child": "Con",
    "child_in_law": "Con dâu/Con rể",
    "grandchild": "Cháu",
    "parent": "Cha/Mẹ",
    "parent_in_law": "Cha/Mẹ vợ hoặc chồng",
    "grandparent": "Ông/Bà",
    "sibling": "Anh/Chị/Em",
    "other_relative": "Họ hàng khác",
    "other": "Không phải họ hàng",
})
"""Relationship to the head of household (item 22), as CT01 asks it."""

ETHNICITIES: Final[Mapping[str, str]] = MappingProxyType({
    "01": "Kinh", "02": "Tày", "03": "Thái", "04": "Hoa", "05": "Khơ-me", "06": "Mường",
    "07": "Nùng", "08": "HMông", "09": "Dao", "10": "Gia-rai", "11": "Ngái", "12": "Ê-đê",
    "13": "Ba-na", "14": "Xơ-đăng", "15": "Sán Chay", "16": "Cơ-ho", "17": "Chăm",
    "18": "Sán Dìu", "19": "Hrê", "20": "Mnông", "21": "Ra-glai", "22": "Xtiêng",
    "23": "Bru-Vân Kiều", "24": "Thổ", "25": "Giáy", "26": "Cơ-tu", "27": "Giẻ-Triêng",
    "28": "Mạ", "29": "Khơ-mú", "30": "Co", "31": "Tà-ôi", "32": "Chơ-ro", "33": "Kháng",
    "34": "Xinh-mun", "35": "Hà Nhì", "36": "Chu-ru", "37": "Lào", "38": "La Chí",
    "39": "La Ha", "40": "Phù Lá", "41": "La Hủ", "42": "Lự", "43": "Lô Lô", "44": "Chứt",
    "45": "Mảng", "46": "Pà Thẻn", "47": "Cờ Lao", "48": "Cống", "49": "Bố Y", "50": "Si La",
    "51": "Pu Péo", "52": "Brâu", "53": "Ơ-đu", "54": "Rơ-măm",
})
"""The 54 ethnic groups by the GSO code of Decision 121-TCTK/PPCĐ (2 March 1979).

Decision 1019/QĐ-TCTK (2008) renumbered some groups (04 Mường, 06 Hoa, 11 Ê-đê...) for
statistics; the 1979 numbering is the one registers and forms have used. Check which list a
partner system uses before exchanging codes.
"""

RELIGIONS: Final[tuple[str, ...]] = (
    "Không", "Phật giáo", "Công giáo", "Tin lành", "Cao Đài", "Phật giáo Hòa Hảo",
    "Hồi giáo", "Bà-la-môn", "Tịnh độ Cư sĩ Phật hội Việt Nam", "Tứ Ân Hiếu Nghĩa",
    "Bửu Sơn Kỳ Hương", "Minh Sư Đạo", "Minh Lý Đạo", "Baha'i", "Cơ đốc Phục lâm",
    "Mặc Môn", "Phật giáo Hiếu Nghĩa Tà Lơn",
)
"""Common values of the free-text religion item: "Không" (none) and the recognised religions."""

