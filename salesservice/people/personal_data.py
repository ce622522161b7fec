"""Job applicants' phone and ID number (PPL-1) are personal data, but not a customer's: they are masked in
pages and the API unless the role may reveal them (`people.reveal_candidate`), each full read is logged
(`core.privacy.reveal`), and they are handled under the HR rules, not a customer's data-subject request."""

from salesservice.core.personal_data import NotCustomerData

from .models import Candidate

HANDLERS = [
    NotCustomerData(
        "应聘者",
        (Candidate,),
        "应聘者的电话和身份证号是求职者的个人信息（按人事制度处理，页面与接口默认脱敏、查看完整信息留痕），不是客户数据",
    )
]
